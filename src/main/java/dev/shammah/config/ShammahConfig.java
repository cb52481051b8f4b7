package dev.shammah.config;

import java.nio.file.Path;

/**
 * The whole configuration, read once at start-up. Immutable: pass the parts a class needs, never the source.
 *
 * @param server   HTTP server settings
 * @param upstream the teacher (Claude) endpoint
 * @param cli      defaults for {@code query} and the REPL
 * @param learning the learning core: router, validator, local model
 * @param dataDir  where logs, the teacher memory, router state and history live
 * @param store    where learning, evidence and sessions are kept: this data dir, or PostgreSQL shared with other
 *                 instances
 * @param usage    how long hourly usage rows are kept
 */
public record ShammahConfig(ServerSettings server, UpstreamSettings upstream, CliSettings cli,
                            LearningSettings learning, Path dataDir, StoreSettings store, UsageSettings usage) {
}
