/** Object keys of a delivery: everything lives under `<deliveryId>/`. */

/** Key of one delivered file. */
export function fileObjectKey(deliveryId: string, name: string): string {
  return `${deliveryId}/${name}`;
}

/** Key of the delivery report. */
export function reportObjectKey(deliveryId: string): string {
  return `${deliveryId}/_delivery.json`;
}
