/**
 * The {@code awsecscontainermetrics} receiver: an ECS task's resource usage from its task metadata
 * endpoint (v4), as the collector-contrib receiver of the same name reports it.
 */
package dev.kansoku.aws.ecscontainermetrics;
