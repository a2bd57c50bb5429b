/** The app as an API Gateway Lambda handler. */
import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';

/** Wraps the app for API Gateway (HTTP API v2 and REST v1 events). */
export function toLambdaHandler(app: Hono): ReturnType<typeof handle> {
  return handle(app);
}
