package dev.shammah.config;

/**
 * @param model     model named in requests made by {@code query} and the REPL
 * @param maxTokens {@code max_tokens} for those requests
 * @param maxToolIterations most tool rounds per question
 * @param toolTimeout       longest a {@code bash} tool call may run
 */
public record CliSettings(String model, int maxTokens, int maxToolIterations, java.time.Duration toolTimeout) {
}
