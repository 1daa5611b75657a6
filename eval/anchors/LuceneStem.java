/*
 * LuceneStem — reference ("anchor") stemmer for the conflation evaluation.
 *
 * Reads words on stdin, one per line (UTF-8), and writes one line per input
 * line on stdout: the Lucene 4.10 "Light10" stem of that line, i.e. the text
 * passed through org.apache.lucene.analysis.ar.ArabicNormalizer and then
 * org.apache.lucene.analysis.ar.ArabicStemmer — exactly the two steps that
 * ArabicAnalyzer applies to each token (minus tokenization, lower-casing and
 * stop words, which do not concern single Arabic words).
 *
 * Contract: the number of output lines always equals the number of input
 * lines; an empty line gives an empty line.  The whole line is treated as one
 * word (callers feed one word per line).  A trailing CR is dropped.
 *
 * Build and run (jar names as installed by Debian's liblucene4.10-java):
 *   CP=/usr/share/java/lucene-core-4.10.4.jar:/usr/share/java/lucene-analyzers-common-4.10.4.jar
 *   javac -cp "$CP" -d build/anchors eval/anchors/LuceneStem.java
 *   java -cp "build/anchors:$CP" LuceneStem < words.txt > stems.txt
 */
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;

import org.apache.lucene.analysis.ar.ArabicNormalizer;
import org.apache.lucene.analysis.ar.ArabicStemmer;

public final class LuceneStem {
    public static void main(String[] args) throws IOException {
        ArabicNormalizer normalizer = new ArabicNormalizer();
        ArabicStemmer stemmer = new ArabicStemmer();

        BufferedReader in = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
        BufferedWriter out = new BufferedWriter(
                new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);

        // readLine() strips "\n" and "\r\n"; strip a lone trailing '\r' too.
        String line;
        while ((line = in.readLine()) != null) {
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            // Both steps work in place on a char buffer and return the new length.
            char[] buf = line.toCharArray();
            int len = normalizer.normalize(buf, buf.length);
            len = stemmer.stem(buf, len);
            out.write(buf, 0, len);
            out.write('\n');
        }
        out.flush();
    }
}
