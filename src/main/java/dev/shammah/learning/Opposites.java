package dev.shammah.learning;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Words that reverse a question when one stands where the other stood: a list of common opposite pairs, and the
 * negating prefixes ({@code un-}, {@code in-}, {@code dis-} …) that make a word's opposite. Used by
 * {@link RewordGuard} on stems ({@link PromptFacts#stem}); a pair one prompt holds both halves of is no swap.
 */
final class Opposites {
    private static final List<String> PREFIXES = List.of("un", "in", "im", "il", "ir", "dis", "non", "anti", "de");
    private static final String[] PAIRS = {
        "up down", "upper lower", "uppercase lowercase", "increase decrease", "increase reduce", "more less",
        "more fewer", "most least", "max min", "maximum minimum", "big small", "bigger smaller", "biggest smallest",
        "large small", "larger smaller", "largest smallest", "high low", "higher lower", "highest lowest",
        "rise fall", "buy sell", "buyer seller", "before after", "first last", "start end", "begin end",
        "beginning end", "open close", "push pull", "import export", "add remove", "add subtract", "plus minus",
        "give receive", "send receive", "sender receiver", "win lose", "gain lose", "gain loss", "positive negative",
        "true false", "right wrong", "good bad", "best worst", "better worse", "hot cold", "warm cool", "heat cool",
        "fast slow", "faster slower", "early late", "earlier later", "long short", "longer shorter", "old new",
        "old young", "older younger", "rich poor", "strong weak", "heavy light", "hard easy", "hard soft",
        "easier harder", "cheap expensive", "cheaper expensive", "inside outside", "input output", "north south",
        "east west", "left right", "top bottom", "above below", "over under", "on off", "yes no", "male female",
        "man woman", "men women", "boy girl", "husband wife", "father mother", "son daughter", "brother sister",
        "teacher student", "parent child", "employer employee", "landlord tenant", "doctor patient",
        "question answer", "love hate", "like dislike", "accept reject", "allow forbid", "allow prevent",
        "agree disagree", "advantage disadvantage", "pro con", "benefit drawback", "celsius fahrenheit",
        "encrypt decrypt", "encode decode", "compress decompress", "upload download", "ascending descending",
        "sunrise sunset", "arrive depart", "arrival departure", "enter exit", "entrance exit", "future past",
        "past present", "day night", "summer winter", "spring autumn", "birth death", "live die", "alive dead",
        "success failure", "succeed fail", "friend enemy", "forward backward", "debit credit", "asset liability",
        "profit loss", "income expense", "supply demand", "cause effect", "wet dry", "full empty", "light dark",
        "black white", "inner outer", "internal external", "major minor", "plural singular", "odd even",
        "prefix suffix", "client server", "host guest", "read write", "public private", "front back",
        "vertical horizontal", "inhale exhale", "expand shrink", "attack defend", "offense defense", "borrow lend",
        "lender borrower", "predator prey", "include exclude", "inclusive exclusive", "maximize minimize",
        "maximise minimise", "overestimate underestimate", "overweight underweight", "always never",
        "everything nothing", "everyone nobody", "all none", "sooner later", "asleep awake", "sleep wake",
        "freeze melt", "solid liquid", "acid base", "acidic alkaline", "win loss", "winner loser", "ally enemy",
        "safe dangerous", "safe unsafe", "legal illegal", "cause prevent", "lead follow", "leader follower",
        "master slave", "sum difference", "multiply divide", "numerator denominator", "row column", "width height",
        "before since", "mean median", "heavier lighter", "heaviest lightest", "hotter colder", "stronger weaker",
        "richer poorer", "newer older", "closer farther", "nearer farther", "cheaper dearer", "upward downward",
        "upwards downwards",
    };
    private static final Map<String, Set<String>> OPPOSITE = new HashMap<>();

    static {
        for (String pair : PAIRS) {
            String[] p = pair.split(" ");
            String a = PromptWords.stem(p[0]);
            String b = PromptWords.stem(p[1]);
            OPPOSITE.computeIfAbsent(a, k -> new HashSet<>()).add(b);
            OPPOSITE.computeIfAbsent(b, k -> new HashSet<>()).add(a);
        }
    }

    private Opposites() {
    }

    /** Whether a word only {@code a} has and a word only {@code b} has are opposites. */
    static boolean between(Set<String> a, Set<String> b) {
        for (String x : a) {
            if (b.contains(x)) {
                continue;
            }
            for (String y : b) {
                if (!a.contains(y) && opposite(x, y)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean opposite(String x, String y) {
        Set<String> o = OPPOSITE.get(x);
        if (o != null && o.contains(y)) {
            return true;
        }
        return negated(x, y) || negated(y, x);
    }

    /** {@code y} is {@code x} with a negating prefix: "likely" / "unlikely", "agree" / "disagree". */
    private static boolean negated(String x, String y) {
        if (x.length() < 4) {
            return false;
        }
        for (String p : PREFIXES) {
            if (y.length() == x.length() + p.length() && y.startsWith(p) && y.endsWith(x)) {
                return true;
            }
            if (y.length() == x.length() + p.length() + 1 && y.startsWith(p + "-") && y.endsWith(x)) {
                return true;
            }
        }
        return false;
    }
}
