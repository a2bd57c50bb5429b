/** Our deployment on AWS: one CallbackDownloader with our providers. */

import { CallbackDownloader, type ProviderDefinition } from '@downloader/cdk-construct';
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';

/** Props of {@link DownloaderStack}. */
export interface DownloaderStackProps extends StackProps {
  readonly providers: readonly ProviderDefinition[];
  /**
   * A published batch-runner image to deploy instead of building the shipped Dockerfile.
   * @default - built from the construct's Dockerfile (Docker needed at deploy)
   */
  readonly image?: string;
}

/** The stack `cdk deploy` creates. */
export class DownloaderStack extends Stack {
  readonly downloader: CallbackDownloader;

  constructor(scope: Construct, id: string, props: DownloaderStackProps) {
    super(scope, id, props);
    this.downloader = new CallbackDownloader(this, 'Downloader', {
      providers: props.providers,
      ...(props.image === undefined ? {} : { image: ecs.ContainerImage.fromRegistry(props.image) }),
    });
  }
}
