/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
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
 * @param flare pixels of a flare: much brighter than their ring about the centre (invalid there);
 *     all valid until {@link MaskFinder#withFlares} looked for them
 * @param outsideAperture pixels beyond the condenser aperture's edge (invalid there); these are
 *     not counted as beam stop
 * @param saturated pixels whose counts reach the detector's saturation level in some pattern
 *     (invalid there); all valid until {@link MaskFinder#withSaturation} looked for them
 */
public record PreparedMask(DetectorMask mask, DetectorMask given, DetectorMask beamStop, DetectorMask hot, DetectorMask dead,
                           DetectorMask flare, DetectorMask outsideAperture, DetectorMask saturated) {

    /**
     * Checks that no part is null.
     *
     * @param mask the combined mask: valid only where every part is
     * @param given the mask that was given (user or file); all valid if none
     * @param beamStop the beam-stop shadow (invalid inside)
     * @param hot hot pixels (invalid where hot)
     * @param dead dead, stuck or cold pixels (invalid where dead)
     * @param flare pixels of a flare: much brighter than their ring about the centre (invalid there); all valid until {@link MaskFinder#withFlares} looked for them
     * @param outsideAperture pixels beyond the condenser aperture's edge (invalid there); these are not counted as beam stop
     * @param saturated pixels whose counts reach the detector's saturation level in some pattern (invalid there); all valid until {@link MaskFinder#withSaturation} looked for them
     */
    public PreparedMask {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(given, "given");
        Objects.requireNonNull(beamStop, "beamStop");
        Objects.requireNonNull(hot, "hot");
        Objects.requireNonNull(dead, "dead");
        Objects.requireNonNull(flare, "flare");
        Objects.requireNonNull(outsideAperture, "outsideAperture");
        Objects.requireNonNull(saturated, "saturated");
    }

    /**
     * The mask without a saturation part (no saturated pixels looked for).
     *
     * @param mask the combined mask
     * @param given the given mask
     * @param beamStop the shadow
     * @param hot hot pixels
     * @param dead dead pixels
     * @param flare flare pixels
     * @param outsideAperture pixels outside the aperture
     */
    public PreparedMask(DetectorMask mask, DetectorMask given, DetectorMask beamStop, DetectorMask hot, DetectorMask dead,
                        DetectorMask flare, DetectorMask outsideAperture) {
        this(mask, given, beamStop, hot, dead, flare, outsideAperture, DetectorMask.allValid(mask.ky(), mask.kx()));
    }

    /**
     * The mask without flare and aperture parts (as before they existed).
     *
     * @param mask the combined mask
     * @param given the given mask
     * @param beamStop the shadow
     * @param hot hot pixels
     * @param dead dead pixels
     */
    public PreparedMask(DetectorMask mask, DetectorMask given, DetectorMask beamStop, DetectorMask hot, DetectorMask dead) {
        this(mask, given, beamStop, hot, dead, DetectorMask.allValid(mask.ky(), mask.kx()), DetectorMask.allValid(mask.ky(), mask.kx()));
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

    /** @return pixels of flares */
    public int flarePixels() {
        return invalid(flare);
    }

    /** @return pixels outside the aperture */
    public int outsideAperturePixels() {
        return invalid(outsideAperture);
    }

    /** @return pixels whose counts reach the detector's saturation level */
    public int saturatedPixels() {
        return invalid(saturated);
    }

    /** @return pixels excluded by the given mask */
    public int givenPixels() {
        return invalid(given);
    }

    @Override
    public String toString() {
        return Checks.format("PreparedMask[%d of %d pixels valid; beam stop %d, flare %d, outside aperture %d, hot %d, dead %d, "
            + "saturated %d, given mask %d]", mask.validCount(), mask.ky() * mask.kx(), beamStopPixels(), flarePixels(),
            outsideAperturePixels(), hotPixels(), deadPixels(), saturatedPixels(), givenPixels());
    }
}
