package dev.shammah.config;

import java.net.URI;
import java.time.Duration;

/**
 * @param model             model named in requests made by {@code query} and the REPL
 * @param maxTokens         {@code max_tokens} for those requests
 * @param maxToolIterations most tool rounds per question
 * @param toolTimeout       longest a {@code bash} tool call may run
 * @param daemon            a daemon {@code query} and the REPL always talk to (e.g. the systemd service, whose
 *                          data dir is not this user's), or null: then they look for one serving their data dir
 */
public record CliSettings(String model, int maxTokens, int maxToolIterations, Duration toolTimeout,
                          URI daemon) {
}
