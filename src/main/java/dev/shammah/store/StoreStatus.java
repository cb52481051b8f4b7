package dev.shammah.store;

import java.time.Duration;
import java.time.Instant;

/**
 * How this instance stands with the shared store, for {@code /health} and {@code /metrics}.
 *
 * @param current       caught up and reachable: local answers are allowed
 * @param problem       why not, in words; null when current
 * @param caughtUpAt    when it last caught up; null before the first time
 * @param lastLag       from "stored by another instance" to "applied here", for the newest exchange applied
 * @param instances     live instances sharing the store, this one included
 * @param applied       changes applied from the store since start
 * @param outbox        evidence counts waiting to be written
 * @param dropped       learned exchanges that could not be written (the store out of reach)
 * @param keptSessions  sessions kept here until the store is back
 */
public record StoreStatus(boolean current, String problem, Instant caughtUpAt, Duration lastLag, int instances,
                          long applied, int outbox, long dropped, int keptSessions) {
}
