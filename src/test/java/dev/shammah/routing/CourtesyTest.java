package dev.shammah.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Stripping courtesy wrappers: the phrases tried by a prompt's end words find what trying them all in turn finds. */
class CourtesyTest {
    private final Courtesy courtesy = new Courtesy(List.of("yo dawg", "cheers mate"));

    @Test
    void stripsTheLongestPhrasesAtEachEndOutermostFirst() {
        List<String> tokens = Words.canonical(
                "Hello there, can you tell me what the borrow checker does? Thank you so much");
        Courtesy.Stripped s = courtesy.strip(tokens);
        assertEquals(List.of("hello there", "can you tell me"), s.prefixes());
        assertEquals(List.of("thank you so much"), s.suffixes());
        assertEquals(Words.canonical("what the borrow checker does"), tokens.subList(s.from(), s.to()));
    }

    @Test
    void leavesACoreOfAtLeastTwoWords() {
        Courtesy.Stripped s = courtesy.strip(Words.canonical("please say thanks"));
        assertEquals(2, s.to() - s.from());
        assertEquals(List.of("please"), s.prefixes());
        assertEquals(List.of(), s.suffixes());
        assertEquals(new Courtesy.Stripped(0, 0, List.of(), List.of()), courtesy.strip(List.of()));
    }

    @Test
    void findsWhatTryingEveryPhraseInTurnFinds() {
        List<List<String>> prefixes = sorted(Stream.concat(Courtesy.PREFIXES.stream(),
                Stream.of("yo dawg", "cheers mate")).toList());
        List<List<String>> suffixes = sorted(Stream.concat(Courtesy.SUFFIXES.stream(),
                Stream.of("yo dawg", "cheers mate")).toList());
        List<String> vocabulary = new ArrayList<>();
        Stream.of(prefixes, suffixes).flatMap(List::stream).flatMap(List::stream).distinct().forEach(vocabulary::add);
        vocabulary.addAll(List.of("rust", "borrow", "checker", "what", "is", "a", "b"));
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            List<String> tokens = new ArrayList<>();
            for (int i = random.nextInt(12); i > 0; i--) {
                if (random.nextInt(3) == 0) {
                    List<List<String>> phrases = random.nextBoolean() ? prefixes : suffixes;
                    tokens.addAll(phrases.get(random.nextInt(phrases.size())));
                } else {
                    tokens.add(vocabulary.get(random.nextInt(vocabulary.size())));
                }
            }
            assertEquals(everyPhraseInTurn(tokens, prefixes, suffixes), courtesy.strip(tokens), tokens.toString());
        }
    }

    private static List<List<String>> sorted(List<String> phrases) {
        List<List<String>> out = new ArrayList<>(phrases.stream().map(Words::canonical).toList());
        out.sort(Comparator.comparingInt((List<String> l) -> -l.size()));
        return out;
    }

    /** The reference: every phrase tried in turn, longest first, until none matches. */
    private static Courtesy.Stripped everyPhraseInTurn(List<String> tokens, List<List<String>> prefixes,
            List<List<String>> suffixes) {
        int from = 0;
        int to = tokens.size();
        List<String> pre = new ArrayList<>();
        List<String> suf = new ArrayList<>();
        for (boolean more = true; more; ) {
            more = false;
            for (List<String> p : prefixes) {
                if (to - from - p.size() >= Courtesy.MIN_CORE && tokens.subList(from, from + p.size()).equals(p)) {
                    pre.add(String.join(" ", p));
                    from += p.size();
                    more = true;
                    break;
                }
            }
        }
        for (boolean more = true; more; ) {
            more = false;
            for (List<String> p : suffixes) {
                if (to - from - p.size() >= Courtesy.MIN_CORE && tokens.subList(to - p.size(), to).equals(p)) {
                    suf.add(String.join(" ", p));
                    to -= p.size();
                    more = true;
                    break;
                }
            }
        }
        return new Courtesy.Stripped(from, to, List.copyOf(pre), List.copyOf(suf));
    }
}
