package dev.shammah.bench.sidebyside;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** wrk's summary, as wrk 4.1 prints it, read into figures. */
class WrkTest {
    @Test
    void readsRateRequestsNon2xxAndSocketErrors() {
        Wrk.Result r = Wrk.parse("""
                Running 3s test @ http://127.0.0.1:41311/v1/messages
                  2 threads and 32 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency    84.12ms   10.33ms 150.01ms   80.00%
                    Req/Sec   190.50     20.11   230.00     70.00%
                  1143 requests in 3.01s, 512.33KB read
                  Socket errors: connect 0, read 2, write 0, timeout 5
                  Non-2xx or 3xx responses: 17
                Requests/sec:    379.73
                Transfer/sec:    170.21KB
                """);
        assertEquals(379.73, r.rps(), 1e-9);
        assertEquals(1143, r.requests());
        assertEquals(17, r.non2xx());
        assertEquals("connect 0, read 2, write 0, timeout 5", r.socketErrors());
    }

    @Test
    void aCleanRunHasNoNon2xxAndNoSocketErrors() {
        Wrk.Result r = Wrk.parse("  10 requests in 1.00s, 1KB read\nRequests/sec:     10.00\n");
        assertEquals(0, r.non2xx());
        assertEquals("none", r.socketErrors());
    }
}
