package org.fivedstem.core.preparation;

import java.util.Objects;

import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.internal.Checks;

/**
 * The detector mask found by {@link MaskFinder}, with what each part excluded. Each part is a
 * {@link DetectorMask} in which the pixels it excludes are invalid; {@link #mask()} is their
 * combination with the given mask (the user's, the file's). Immutable.
 *
 * @param mask the combined mask: valid only where every part is
 * @param given the mask that was given (user or file); all valid if none
 * @param beamStop the beam-stop shadow (invalid inside)
 * @param hot hot pixels (invalid where hot)
 * @param dead dead, stuck or cold pixels (invalid where dead)
 */
public record PreparedMask(DetectorMask mask, DetectorMask given, DetectorMask beamStop, DetectorMask hot, DetectorMask dead) {

    /** Checks that no part is null. */
    public PreparedMask {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(given, "given");
        Objects.requireNonNull(beamStop, "beamStop");
        Objects.requireNonNull(hot, "hot");
        Objects.requireNonNull(dead, "dead");
    }

    private static int invalid(DetectorMask m) {
        return m.ky() * m.kx() - m.validCount();
    }

    /** @return pixels in the beam-stop shadow */
    public int beamStopPixels() {
        return invalid(beamStop);
    }

    /** @return hot pixels */
    public int hotPixels() {
        return invalid(hot);
    }

    /** @return dead, stuck or cold pixels */
    public int deadPixels() {
        return invalid(dead);
    }

    /** @return pixels excluded by the given mask */
    public int givenPixels() {
        return invalid(given);
    }

    @Override
    public String toString() {
        return Checks.format("PreparedMask[%d of %d pixels valid; beam stop %d, hot %d, dead %d, given mask %d]",
            mask.validCount(), mask.ky() * mask.kx(), beamStopPixels(), hotPixels(), deadPixels(), givenPixels());
    }
}
