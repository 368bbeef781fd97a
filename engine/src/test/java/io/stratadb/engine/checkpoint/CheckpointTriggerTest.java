package io.stratadb.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a background checkpoint is due: by time, by log records written, never when idle. */
class CheckpointTriggerTest {
    private static final long MS = 1_000_000L;

    @Test
    void theIntervalTriggersOnlyWhenTheDatabaseChanged() {
        CheckpointTrigger t = new CheckpointTrigger(1000, 0, 0);
        assertFalse(t.due(5, 0, 999 * MS), "not yet");
        assertTrue(t.due(5, 0, 1000 * MS));
        t.ran(5, 0, 1000 * MS);
        assertFalse(t.due(5, 0, 5000 * MS), "idle: nothing changed since");
        assertTrue(t.due(5, 7, 5000 * MS), "the stable timestamp moved");
        assertFalse(t.due(6, 0, 1999 * MS), "changed, but the interval has not passed again");
    }

    @Test
    void enoughLogRecordsTriggerBeforeTheInterval() {
        CheckpointTrigger t = new CheckpointTrigger(60_000, 100, 0);
        assertFalse(t.due(99, 0, 1 * MS));
        assertTrue(t.due(100, 0, 1 * MS));
        t.ran(130, 0, 2 * MS);
        assertFalse(t.due(229, 0, 3 * MS), "counted from what the last checkpoint covered");
        assertTrue(t.due(230, 0, 3 * MS));
    }

    @Test
    void aTriggerOfZeroIsOff() {
        CheckpointTrigger recordsOnly = new CheckpointTrigger(0, 10, 0);
        assertFalse(recordsOnly.due(9, 0, Long.MAX_VALUE / 2));
        assertTrue(recordsOnly.due(10, 0, 0));
        CheckpointTrigger timeOnly = new CheckpointTrigger(10, 0, 0);
        assertFalse(timeOnly.due(1_000_000_000L, 0, 9 * MS));
        assertTrue(timeOnly.due(1, 0, 10 * MS));
    }

    @Test
    void aFailedAttemptHoldsOffTheNextOneForASecond() {
        CheckpointTrigger t = new CheckpointTrigger(10, 10, 0);
        assertTrue(t.due(50, 0, 20 * MS));
        t.failed(20 * MS);
        assertFalse(t.due(50, 0, 500 * MS), "not at every poll while it keeps failing");
        assertTrue(t.due(50, 0, 20 * MS + CheckpointTrigger.RETRY_NANOS));
    }
}
