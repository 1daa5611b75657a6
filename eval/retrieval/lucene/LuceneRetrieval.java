/*
 * LuceneRetrieval — Lucene 4.10 BM25 baseline for the fahras retrieval evaluation
 * (called by eval/retrieval/lucene/run.sh).
 *
 *   java -Xmx1g -cp build/anchors:$CP LuceneRetrieval --task known_item|qa \
 *        --data DATA_DIR --index INDEX_DIR --out OUT_DIR [--smoke]
 *
 * known_item: indexes the body (5th column) of every news/news.tsv row, docid =
 *             column 1 (empty bodies are indexed as empty documents, so every
 *             row is a document); queries news/known_item.dev.queries.tsv.
 * qa:         indexes title + "\n" + text of qa_retrieval/collection.tsv, docid =
 *             pid; queries qa_retrieval/dev.queries.tsv.
 * --smoke:    the first 2,000 rows (known_item; qa keeps every passage) and the
 *             first 200 queries.
 *
 * Index: ArabicAnalyzer(Version.LUCENE_4_10_4), BM25Similarity() (k1=1.2,
 * b=0.75), IndexWriter with a 256 MB RAM buffer, OpenMode.CREATE over an
 * FSDirectory at INDEX_DIR.  One indexed, unstored TextField "body" (freqs,
 * positions, norms: Lucene's defaults) and one stored, untokenized StringField
 * "id" — the only stored field.
 *
 * Timing (System.nanoTime, single indexing thread; Lucene's merge scheduler may
 * use background threads):
 *   index_seconds  from opening the writer, through reading the TSV line by
 *                  line (I/O and UTF-8 decoding included, as a real indexer
 *                  would), addDocument of every row, to commit() returning.
 *   index_cpu_seconds, index_main_thread_cpu_seconds
 *                  CPU time of the whole JVM (GC and JIT threads included) and
 *                  of the indexing thread over the same window: against
 *                  index_seconds they show how much the machine's other load
 *                  (2 shared cores) slowed the wall-clock figure.
 *   merge_seconds  forceMerge(1) + close() afterwards (not in index_seconds).
 *   index_bytes    every file of INDEX_DIR after the merge.
 *   peak_rss_kb    VmHWM of this JVM read from /proc/self/status right after the
 *                  index is built and merged, before any query runs.
 *
 * Queries are free text: the query string goes through the same analyzer and
 * each token becomes a SHOULD TermQuery of one BooleanQuery (a repeated token is
 * repeated, as QueryParser would do; no query syntax is interpreted).  A query
 * with no token retrieves nothing.
 *
 * Run: every query, top 100, written as TREC lines "qid Q0 docid rank score
 * lucene" to OUT_DIR/lucene.TASK.run (rank from 1; Lucene's order: score
 * descending, then index order).  Latency: the query set is run once more for the
 * top 10, untimed (warm-up), then once timed, query by query (analysis + search
 * + fetching the stored ids of the hits), single thread; mean, p50 and p99
 * (nearest rank) in milliseconds.  Everything goes to OUT_DIR/lucene.TASK.stats
 * as key=value lines.
 */
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public final class LuceneRetrieval {
    static final String SYSTEM = "lucene";
    static final String FIELD = "body";
    static final int SMOKE_DOCS = 2000;      // known_item only; qa keeps every passage
    static final int SMOKE_QUERIES = 200;
    static final int RUN_DEPTH = 100;
    static final int LATENCY_DEPTH = 10;
    static final double RAM_BUFFER_MB = 256.0;

    /** Fields of one TSV line split on TAB (a trailing CR removed). */
    static String[] cols(String line) {
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
        return line.split("\t", -1);
    }

    /** Number of UTF-8 bytes of s (unpaired surrogates count 3, like a replacement). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    static BufferedReader open(Path p) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(p), StandardCharsets.UTF_8), 1 << 20);
    }

    /** The analyzer's tokens as one BooleanQuery of SHOULD TermQuery, or null when there is none. */
    static Query buildQuery(Analyzer analyzer, String text) throws IOException {
        BooleanQuery q = new BooleanQuery();
        try (TokenStream ts = analyzer.tokenStream(FIELD, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                q.add(new TermQuery(new Term(FIELD, term.toString())), BooleanClause.Occur.SHOULD);
            }
            ts.end();
        }
        return q.clauses().isEmpty() ? null : q;
    }

    static final class Hit {
        final String id;
        final float score;
        Hit(String id, float score) { this.id = id; this.score = score; }
    }

    static List<Hit> search(Analyzer analyzer, IndexSearcher searcher, String text, int k) throws IOException {
        Query q = buildQuery(analyzer, text);
        if (q == null) return new ArrayList<>();
        TopDocs td = searcher.search(q, k);
        List<Hit> hits = new ArrayList<>(td.scoreDocs.length);
        for (ScoreDoc sd : td.scoreDocs) {
            hits.add(new Hit(searcher.doc(sd.doc).get("id"), sd.score));
        }
        return hits;
    }

    static long dirBytes(Path dir) throws IOException {
        long n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) n += Files.size(p);
            }
        }
        return n;
    }

    /** VmHWM (peak resident set) of this process in kB, or -1 when /proc is unavailable. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** CPU time of the whole JVM (all threads: GC, JIT, merges) in ns, or -1 when unavailable. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /** Nearest-rank percentile of an ascending array. */
    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String usage() {
        return "usage: LuceneRetrieval --task known_item|qa --data DIR --index DIR --out DIR [--smoke]";
    }

    @SuppressWarnings("deprecation")  // the Version-taking constructors are the 4.10 way to pin behaviour
    public static void main(String[] args) throws Exception {
        String task = null, data = null, index = null, out = null;
        boolean smoke = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--task": task = args[++i]; break;
                case "--data": data = args[++i]; break;
                case "--index": index = args[++i]; break;
                case "--out": out = args[++i]; break;
                case "--smoke": smoke = true; break;
                default: System.err.println(usage()); System.exit(2);
            }
        }
        if (task == null || data == null || index == null || out == null
                || !(task.equals("known_item") || task.equals("qa"))) {
            System.err.println(usage());
            System.exit(2);
        }
        boolean knownItem = task.equals("known_item");
        Path dataDir = Paths.get(data);
        Path docsPath = knownItem ? dataDir.resolve("news/news.tsv") : dataDir.resolve("qa_retrieval/collection.tsv");
        Path queriesPath = knownItem ? dataDir.resolve("news/known_item.dev.queries.tsv")
                                     : dataDir.resolve("qa_retrieval/dev.queries.tsv");
        Path indexDir = Paths.get(index);
        Path outDir = Paths.get(out);
        Files.createDirectories(indexDir);
        Files.createDirectories(outDir);

        Analyzer analyzer = new ArabicAnalyzer(Version.LUCENE_4_10_4);
        BM25Similarity similarity = new BM25Similarity();   // k1 = 1.2, b = 0.75
        BooleanQuery.setMaxClauseCount(Integer.MAX_VALUE);

        // ---- index -----------------------------------------------------------------
        long docs = 0, inputBytes = 0, emptyDocs = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = processCpuNanos(), m0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Directory dir = FSDirectory.open(indexDir.toFile());
        IndexWriterConfig iwc = new IndexWriterConfig(Version.LUCENE_4_10_4, analyzer);
        iwc.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        iwc.setSimilarity(similarity);
        iwc.setRAMBufferSizeMB(RAM_BUFFER_MB);
        IndexWriter writer = new IndexWriter(dir, iwc);
        Document doc = new Document();
        StringField idField = new StringField("id", "", Field.Store.YES);
        TextField bodyField = new TextField(FIELD, "", Field.Store.NO);
        doc.add(idField);
        doc.add(bodyField);
        try (BufferedReader in = open(docsPath)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) continue;
                if (knownItem && smoke && docs >= SMOKE_DOCS) break;
                String[] c = cols(line);
                String text;
                if (knownItem) {
                    text = c.length > 4 ? c[4] : "";
                } else {
                    text = (c.length > 1 ? c[1] : "") + "\n" + (c.length > 2 ? c[2] : "");
                }
                if (text.isEmpty()) emptyDocs++;
                idField.setStringValue(c[0]);
                bodyField.setStringValue(text);
                writer.addDocument(doc);
                docs++;
                inputBytes += utf8Length(text);
            }
        }
        writer.commit();
        long t1 = System.nanoTime();
        long c1 = processCpuNanos(), m1 = threads.getCurrentThreadCpuTime();
        int segmentsBeforeMerge;
        try (DirectoryReader r = DirectoryReader.open(dir)) {
            segmentsBeforeMerge = r.leaves().size();
        }
        long t2 = System.nanoTime();
        writer.forceMerge(1);
        writer.close();
        long t3 = System.nanoTime();
        long indexBytes = dirBytes(indexDir);
        long peakRss = peakRssKb();
        double indexSeconds = (t1 - t0) / 1e9, mergeSeconds = (t3 - t2) / 1e9;

        // ---- queries ---------------------------------------------------------------
        List<String[]> queries = new ArrayList<>();
        try (BufferedReader in = open(queriesPath)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) continue;
                String[] c = cols(line);
                queries.add(new String[] {c[0], c.length > 1 ? c[1] : ""});
                if (smoke && queries.size() >= SMOKE_QUERIES) break;
            }
        }

        DirectoryReader reader = DirectoryReader.open(dir);
        IndexSearcher searcher = new IndexSearcher(reader);
        searcher.setSimilarity(similarity);

        // ---- run: top 100 of every query ---------------------------------------------
        Path runPath = outDir.resolve(SYSTEM + "." + task + ".run");
        long noHits = 0;
        long r0 = System.nanoTime();
        try (PrintWriter w = new PrintWriter(new BufferedWriter(Files.newBufferedWriter(runPath, StandardCharsets.UTF_8)))) {
            for (String[] q : queries) {
                List<Hit> hits = search(analyzer, searcher, q[1], RUN_DEPTH);
                if (hits.isEmpty()) noHits++;
                int rank = 0;
                for (Hit h : hits) {
                    w.printf(Locale.ROOT, "%s Q0 %s %d %.6f %s%n", q[0], h.id, ++rank, h.score, SYSTEM);
                }
            }
        }
        long r1 = System.nanoTime();

        // ---- latency: top 10, one untimed warm-up pass, then one timed pass ------------
        long sink = 0;
        for (String[] q : queries) sink += search(analyzer, searcher, q[1], LATENCY_DEPTH).size();
        double[] lat = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            long s0 = System.nanoTime();
            sink += search(analyzer, searcher, queries.get(i)[1], LATENCY_DEPTH).size();
            lat[i] = (System.nanoTime() - s0) / 1e6;
        }
        reader.close();
        dir.close();
        double sum = 0;
        for (double v : lat) sum += v;
        Arrays.sort(lat);

        Map<String, String> st = new LinkedHashMap<>();
        st.put("system", SYSTEM);
        st.put("task", task);
        st.put("smoke", smoke ? "1" : "0");
        st.put("docs", Long.toString(docs));
        st.put("empty_docs", Long.toString(emptyDocs));
        st.put("input_bytes", Long.toString(inputBytes));
        st.put("input_mb", String.format(Locale.ROOT, "%.3f", inputBytes / 1e6));
        st.put("index_seconds", String.format(Locale.ROOT, "%.3f", indexSeconds));
        st.put("index_cpu_seconds", String.format(Locale.ROOT, "%.3f", c0 < 0 ? Double.NaN : (c1 - c0) / 1e9));
        st.put("index_main_thread_cpu_seconds", String.format(Locale.ROOT, "%.3f", (m1 - m0) / 1e9));
        st.put("merge_seconds", String.format(Locale.ROOT, "%.3f", mergeSeconds));
        st.put("index_mb_per_s", String.format(Locale.ROOT, "%.2f", inputBytes / 1e6 / indexSeconds));
        st.put("segments_before_merge", Integer.toString(segmentsBeforeMerge));
        st.put("index_bytes", Long.toString(indexBytes));
        st.put("queries", Integer.toString(queries.size()));
        st.put("queries_without_hits", Long.toString(noHits));
        st.put("run_seconds", String.format(Locale.ROOT, "%.3f", (r1 - r0) / 1e9));
        st.put("latency_mean_ms", String.format(Locale.ROOT, "%.3f", lat.length > 0 ? sum / lat.length : Double.NaN));
        st.put("latency_p50_ms", String.format(Locale.ROOT, "%.3f", pct(lat, 50)));
        st.put("latency_p99_ms", String.format(Locale.ROOT, "%.3f", pct(lat, 99)));
        st.put("peak_rss_kb", Long.toString(peakRss));
        st.put("peak_rss_of", "indexing JVM (VmHWM after index + merge, before queries)");
        st.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
        st.put("lucene", "4.10.4 ArabicAnalyzer, BM25Similarity(k1=1.2, b=0.75), RAM buffer 256 MB, forceMerge(1)");
        st.put("query", "SHOULD TermQuery per analyzer token");
        st.put("latency_depth", Integer.toString(LATENCY_DEPTH));
        st.put("run_depth", Integer.toString(RUN_DEPTH));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(outDir.resolve(SYSTEM + "." + task + ".stats"),
                                                                    StandardCharsets.UTF_8))) {
            for (Map.Entry<String, String> e : st.entrySet()) w.println(e.getKey() + "=" + e.getValue());
        }
        System.err.printf(Locale.ROOT, "lucene %s: %d docs, %.1f MB in %.2f s (+ merge %.2f s), index %.1f MB; "
                          + "%d queries, p50 %.3f ms, p99 %.3f ms [%d]%n",
                          task, docs, inputBytes / 1e6, indexSeconds, mergeSeconds, indexBytes / 1e6,
                          queries.size(), pct(lat, 50), pct(lat, 99), sink);
    }
}
