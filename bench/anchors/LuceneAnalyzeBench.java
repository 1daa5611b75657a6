/*
 * LuceneAnalyzeBench — throughput anchor: Lucene 4.10 ArabicAnalyzer over news bodies.
 *
 *   java -Xmx2g -cp build/anchors:$CP LuceneAnalyzeBench NEWS_TSV PASSES [MAX_BYTES]
 *
 * NEWS_TSV is news.tsv (doc_id source category title body, tab-separated, one
 * article a line); only the body (5th column) is analyzed.  MAX_BYTES, if
 * given, reads only the first MAX_BYTES bytes of the file, cut back to the last
 * complete line (the same rule as snowball_bench.c, so both see the same text).
 *
 * Method: all bodies are read and decoded into memory first (I/O is never
 * timed); the JVM is warmed up with 2 passes over the first ~20 MB of bodies;
 * then PASSES timed passes each run every body through
 * analyzer.tokenStream("body", text) and consume every token's
 * CharTermAttribute (reset / incrementToken* / end / close).
 * MB = UTF-8 bytes of the bodies / 1e6.
 *
 * Output (stdout): one line per pass "pass N: X.XX MB/s, T tokens", then
 * "median: X.XX MB/s".  Load and warm-up details go to stderr.
 */
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.Version;

public final class LuceneAnalyzeBench {
    private static final long WARMUP_BYTES = 20_000_000L;  // warm-up slice of the bodies
    private static final int WARMUP_PASSES = 2;

    /** Bodies of the first maxBytes bytes of the file (whole lines only); maxBytes < 0 = all. */
    static List<String> readBodies(String path, long maxBytes) throws IOException {
        byte[] data;
        try (InputStream in = Files.newInputStream(Paths.get(path))) {
            data = maxBytes < 0 ? in.readAllBytes()
                                : in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
        }
        int end = data.length;
        if (maxBytes >= 0 && end == maxBytes) {       // possibly cut mid-line: drop the partial line
            while (end > 0 && data[end - 1] != '\n') end--;
        }
        List<String> bodies = new ArrayList<>();
        int start = 0;
        while (start < end) {
            int nl = start;
            while (nl < end && data[nl] != '\n') nl++;
            int stop = (nl > start && data[nl - 1] == '\r') ? nl - 1 : nl;
            // Skip four tabs to reach the body; it runs to the next tab or the line end.
            int p = start, tabs = 0;
            while (p < stop && tabs < 4) {
                if (data[p++] == '\t') tabs++;
            }
            if (tabs == 4) {
                int q = p;
                while (q < stop && data[q] != '\t') q++;
                bodies.add(new String(data, p, q - p, StandardCharsets.UTF_8));
            }
            start = nl + 1;
        }
        return bodies;
    }

    /** Analyze every body once; returns the number of tokens produced. */
    static long analyzeAll(Analyzer analyzer, List<String> bodies) throws IOException {
        long tokens = 0;
        long checksum = 0;  // touch the term text so the work cannot be skipped
        for (String body : bodies) {
            try (TokenStream ts = analyzer.tokenStream("body", body)) {
                CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
                ts.reset();
                while (ts.incrementToken()) {
                    tokens++;
                    checksum += term.length();
                }
                ts.end();
            }
        }
        if (checksum < 0) System.err.println(checksum);
        return tokens;
    }

    static long utf8Bytes(List<String> bodies) {
        long n = 0;
        for (String b : bodies) n += b.getBytes(StandardCharsets.UTF_8).length;
        return n;
    }

    @SuppressWarnings("deprecation")  // ArabicAnalyzer(Version): pinned on purpose, see below
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: LuceneAnalyzeBench NEWS_TSV PASSES [MAX_BYTES]");
            System.exit(2);
        }
        int passes = Integer.parseInt(args[1]);
        long maxBytes = args.length == 3 ? Long.parseLong(args[2]) : -1;

        List<String> bodies = readBodies(args[0], maxBytes);
        long bytes = utf8Bytes(bodies);
        double mb = bytes / 1e6;
        System.err.printf(Locale.ROOT, "loaded %d bodies, %.2f MB%n", bodies.size(), mb);

        // Pin the 4.10.4 behaviour explicitly (what the no-argument constructor picks in this jar):
        // StandardTokenizer, LowerCaseFilter, stop words, ArabicNormalizationFilter, ArabicStemFilter.
        try (Analyzer analyzer = new ArabicAnalyzer(Version.LUCENE_4_10_4)) {
            // Warm-up: the bodies making up the first ~20 MB, WARMUP_PASSES times.
            int k = 0;
            for (long acc = 0; k < bodies.size() && acc < WARMUP_BYTES; k++) {
                acc += bodies.get(k).getBytes(StandardCharsets.UTF_8).length;
            }
            List<String> warm = bodies.subList(0, k);
            for (int i = 0; i < WARMUP_PASSES; i++) analyzeAll(analyzer, warm);
            System.err.printf(Locale.ROOT, "warm-up: %d passes over %d bodies%n", WARMUP_PASSES, k);

            double[] rates = new double[passes];
            for (int i = 0; i < passes; i++) {
                long t0 = System.nanoTime();
                long tokens = analyzeAll(analyzer, bodies);
                double secs = (System.nanoTime() - t0) / 1e9;
                rates[i] = mb / secs;
                System.out.printf(Locale.ROOT, "pass %d: %.2f MB/s, %d tokens%n", i + 1, rates[i], tokens);
            }
            if (passes > 0) {
                Arrays.sort(rates);
                double median = passes % 2 == 1 ? rates[passes / 2]
                                                : (rates[passes / 2 - 1] + rates[passes / 2]) / 2;
                System.out.printf(Locale.ROOT, "median: %.2f MB/s%n", median);
            }
        }
    }
}
