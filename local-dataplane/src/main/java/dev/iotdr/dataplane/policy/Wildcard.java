package dev.iotdr.dataplane.policy;

/**
 * Matches text against a pattern of code points in which {@link #ANY_ONE} stands for any one code point and
 * {@link #ANY_RUN} for any run of them, including none. Greedy with back-tracking to the last run, so it never
 * recurses and costs at most pattern length times text length.
 */
final class Wildcard {
    static final int ANY_ONE = -1;
    static final int ANY_RUN = -2;

    private Wildcard() {}

    static boolean matches(int[] pattern, int[] text) {
        int p = 0;
        int t = 0;
        int lastRun = -1;
        int textAtLastRun = 0;
        while (t < text.length) {
            if (p < pattern.length && (pattern[p] == ANY_ONE || pattern[p] == text[t])) {
                p++;
                t++;
            } else if (p < pattern.length && pattern[p] == ANY_RUN) {
                lastRun = p++;
                textAtLastRun = t;
            } else if (lastRun >= 0) {
                // let the last run swallow one more code point and retry from just after it
                p = lastRun + 1;
                t = ++textAtLastRun;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == ANY_RUN) {
            p++;
        }
        return p == pattern.length;
    }
}
