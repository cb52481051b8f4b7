package dev.shammah.cli.tools;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/** What makes a bash command more than one simple command, with quotes parsed as bash parses them. */
class ShellCommandTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "=>", value = {
        "echo a; rm x          => ;",
        "echo a && rm x        => &&",
        "false || rm x         => ||",
        "cat f | sh            => |",
        "sleep 9 & rm x        => &",
        "echo $(rm x)          => $(",
        "echo $((1+2))         => $(",
        "echo ${x:=y}          => ${",
        "echo `rm x`           => `",
        "sh < script           => <",
        "echo a > ~/.bashrc    => >",
        "echo a >> f           => >",
        "diff <(ls) f          => <",
        "(rm x)                => (",
        "echo \"$(rm x)\"      => $(",
        "echo \"`rm x`\"       => `",
        "echo \"${HOME}\"      => ${",
        "echo $\"$(rm x)\"     => $(",
        "echo a &>f            => &",
    })
    void eachMetacharacterClassIsFound(String command, String first) {
        assertThat(ShellCommand.operators(command.strip()).get(0), is(first));
    }

    @Test
    void newlinesAndCarriageReturnsSeparateCommands() {
        assertThat(ShellCommand.operators("echo a\nrm x"), contains("\n"));
        assertThat(ShellCommand.operators("echo a\rrm x"), contains("\r"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "echo hello world",
        "echo 'a;b|c&d>e<f$(g)`h`'",
        "echo \"a;b|c&d>e<f\"",
        "echo \"it's\" 'say \"hi\"'",
        "echo a\\;b \\| c \\& d \\> e \\$\\(f\\)",
        "echo \"\\$(not run)\" \"\\`not run\\`\"",
        "echo $'a\\'b;c'",
        "echo $HOME \"$USER\" ~/x *.java",
        "git status --short # ; rm x",
        "find . -name '*.tmp' -exec echo {} \\;",
        "grep -n 'a|b' src",
        "",
    })
    void quotedOrEscapedOperatorsLeaveOneSimpleCommand(String command) {
        assertThat(command, ShellCommand.operators(command), is(empty()));
        assertThat(ShellCommand.isSimple(command), is(true));
    }

    @Test
    void aCommentEndsAtTheNewlineSoItCannotHideTheNextCommand() {
        // In bash the ' is inside the comment: the second line runs. A scanner that read it as a quote would not
        // see the newline.
        assertThat(ShellCommand.operators("echo a #'\nrm -rf x #'"), contains("\n"));
        assertThat("# only starts a comment at the start of a word", ShellCommand.operators("echo a#b; rm x"),
                contains(";"));
    }

    @Test
    void anUnterminatedQuoteIsNotASimpleCommand() {
        assertThat(ShellCommand.operators("echo 'abc"), contains(ShellCommand.UNTERMINATED));
        assertThat(ShellCommand.operators("echo \"abc"), contains(ShellCommand.UNTERMINATED));
        assertThat(ShellCommand.operators("echo $'abc\\'"), contains(ShellCommand.UNTERMINATED));
    }

    @Test
    void everyOperatorIsReportedOnceInOrder() {
        assertThat(ShellCommand.operators("a; b | c; d $(e) > f | g"), is(List.of(";", "|", "$(", ")", ">")));
    }
}
