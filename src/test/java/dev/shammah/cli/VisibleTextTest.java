package dev.shammah.cli;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

/** Control and bidi characters in tool lines are shown, never acted on by the terminal. */
class VisibleTextTest {
    @Test
    void c0DelAndC1ControlsAreShownAsEscapes() {
        assertThat(VisibleText.escape("ls\r\u001b[2K[tool] ok"), is("ls\\r\\x1b[2K[tool] ok"));
        assertThat(VisibleText.escape("a\nb\tc\u0000d\u0007e\u007ff"), is("a\\nb\\tc\\x00d\\x07e\\x7ff"));
        assertThat(VisibleText.escape("\u009b2K\u0085"), is("\\u009b2K\\u0085"));
    }

    @Test
    void bidiControlsAreShownAsEscapes() {
        assertThat(VisibleText.escape("ls \u202ehs.lru\u202c"), is("ls \\u202ehs.lru\\u202c"));
        assertThat(VisibleText.escape("\u202a\u202b\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028"),
                is("\\u202a\\u202b\\u202d\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\u2028"));
    }

    @Test
    void ordinaryTextIsReturnedAsIs() {
        String text = "grep 'é|ü' in src — 数据 → ok \\n stays two characters";
        assertThat(VisibleText.escape(text), sameInstance(text));
    }
}
