package dev.shammah.config;

/**
 * @param model     model named in requests made by {@code query} and the REPL
 * @param maxTokens {@code max_tokens} for those requests
 */
public record CliSettings(String model, int maxTokens) {
}
