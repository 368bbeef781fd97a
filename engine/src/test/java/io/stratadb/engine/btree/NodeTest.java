package io.stratadb.engine.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());

    @Test
    void keyComparisonIsUnsignedLexicographic() {
        Random r = new Random(SEED);
        for (int n = 0; n < 200_000; n++) {
            byte[] a = new byte[r.nextInt(20)];
            r.nextBytes(a);
            byte[] b = r.nextBoolean() ? Arrays.copyOf(a, r.nextInt(22)) : new byte[r.nextInt(20)];
            if (b.length > 0 && r.nextInt(3) == 0) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            assertEquals(
                    Integer.signum(Arrays.compareUnsigned(a, b)),
                    Integer.signum(Node.compare(a, b)),
                    Arrays.toString(a) + " vs " + Arrays.toString(b) + " seed=" + SEED);
        }
    }
}
