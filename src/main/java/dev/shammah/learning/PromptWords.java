package dev.shammah.learning;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The words {@link PromptFacts} reads prompts with: which words carry no content, which negate, which are numbers or
 * currencies, and the stem a word is compared by.
 */
final class PromptWords {
    private PromptWords() {
    }

    static final Set<String> NEGATIONS = Set.of("not", "no", "never", "without", "nothing", "none",
            "nobody", "neither", "nor", "cannot", "nowhere", "non");

    /** Number words; "one" and "second" are left out: they are pronoun and time far more often than numbers. */
    static final Set<String> NUMBER_WORDS = Set.of("zero", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
            "hundred", "thousand", "million", "billion", "trillion", "half", "twice", "double", "triple", "dozen",
            "first", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last");

    static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "i", "me", "my", "mine", "myself",
            "you", "your", "yours", "yourself", "he", "him", "his", "she", "her", "hers", "it", "its", "we", "us",
            "our", "they", "them", "their", "this", "that", "these", "those", "there", "here", "is", "are", "was",
            "were", "be", "been", "being", "am", "do", "does", "did", "doing", "done", "have", "has", "had", "having",
            "can", "could", "will", "would", "should", "shall", "may", "might", "must", "and", "or", "but", "if",
            "so", "as", "at", "in", "on", "to", "from", "of", "for", "with", "by", "about", "into", "onto", "than",
            "then", "also", "just", "any", "some", "all", "every", "each", "get", "got", "getting", "make", "way",
            "ways", "really", "very", "much", "many", "thing", "things", "one", "ones", "someone", "something",
            "anyone", "anything", "people", "person", "possible", "it's", "i'm", "etc", "vs", "e.g", "i.e",
            // Intensifiers and hedges: "the best movie ever", "what exactly is" ask what the plain words ask.
            "ever", "anyway", "actually", "exactly", "basically", "truly", "generally", "literally",
            "what", "how", "why", "where", "when", "who", "which", "whom", "whose", "s", "t", "\"", "?");

    /**
     * Ways of writing one currency, read as its code: "500 INR" and "500rs" name one amount. Only words that mean
     * nothing else ("pound" is also a weight).
     */
    static final Map<String, String> CURRENCIES = Map.ofEntries(Map.entry("rs", "inr"),
            Map.entry("rupee", "inr"), Map.entry("inr", "inr"), Map.entry("usd", "usd"), Map.entry("dollar", "usd"),
            Map.entry("eur", "eur"), Map.entry("euro", "eur"), Map.entry("gbp", "gbp"), Map.entry("jpy", "jpy"),
            Map.entry("yen", "jpy"));

    /** Lower case without possessive and plural endings: "Countries'" and "country" are one stem. */
    static String stem(String token) {
        String t = token.toLowerCase(Locale.ROOT);
        if (t.endsWith("'s") || t.endsWith("s'")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("'")) {
            t = t.substring(0, t.length() - 1);
        }
        if (FUNCTION_WORDS.contains(t)) {
            // "does" is not the plural of "doe": a function word is its own stem, and stays one.
            return t;
        }
        if (t.length() == 5 && t.endsWith("ying")) {
            // "dying", "lying", "tying": the -ing of a verb in -ie, which shares no four letters with it.
            return t.substring(0, 1) + "ie";
        }
        if (t.length() > 4 && t.endsWith("ies")) {
            return t.substring(0, t.length() - 3) + "y";
        }
        if (t.length() > 4 && t.endsWith("ie")) {
            // "movies" loses "ies" like "countries" does: its singular must meet it ("movie", "cookie", "calorie").
            return t.substring(0, t.length() - 2) + "y";
        }
        if (t.length() > 4 && (t.endsWith("ches") || t.endsWith("shes") || t.endsWith("xes") || t.endsWith("sses"))) {
            return t.substring(0, t.length() - 2);
        }
        if (t.length() > 3 && t.endsWith("s") && !t.endsWith("ss") && !t.endsWith("us") && !t.endsWith("is")) {
            return t.substring(0, t.length() - 1);
        }
        return t;
    }
}
