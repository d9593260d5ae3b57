/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.npy.NpyFile;

/** Puts storage, calibration and mask together into a dataset, closing the storage on failure. */
public final class Assembly {

    private Assembly() {
    }

    /**
     * @param file for messages
     * @param ds dataset path for messages, or {@code null}
     * @param storage the storage (closed if this fails)
     * @param cal the calibration
     * @param fileMask the mask found in the file, or {@code null}
     * @param o options (a mask file replaces the file's mask)
     * @return the dataset
     * @throws RecordingException if the mask cannot be read or does not fit
     */
    public static Dataset5D assemble(Path file, String ds, PatternStorage storage, Calibration cal, DetectorMask fileMask,
                                     OpenOptions o) throws RecordingException {
        try {
            DetectorMask mask = fileMask;
            if (o.maskFile() != null) {
                mask = readMask(o.maskFile(), storage.shape().ky(), storage.shape().kx());
            }
            try {
                return Dataset5D.of(storage, cal).withMask(mask);
            } catch (IllegalArgumentException e) {
                throw new RecordingException(file, ds, e.getMessage(), e);
            }
        } catch (RecordingException e) {
            closeQuietly(storage, e);
            throw e;
        }
    }

    /**
     * Closes a storage after a failure, attaching any error in closing to the failure.
     *
     * @param storage the storage to close
     * @param failure the failure being reported. <i>Modified</i> (suppressed exceptions).
     */
    public static void closeQuietly(AutoCloseable storage, Exception failure) {
        try {
            storage.close();
        } catch (Exception suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    /**
     * @param file an HDF5 file with {@code /mask} or a 2D {@code .npy} file
     * @param ky expected rows
     * @param kx expected columns
     * @return the mask, non-zero = valid
     * @throws RecordingException if unreadable or of the wrong shape
     */
    public static DetectorMask readMask(Path file, int ky, int kx) throws RecordingException {
        Hdf5Opener.requireReadable(file);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            NpyFile npy = NpyFile.open(file);
            int[] s = npy.shape();
            if (s.length != 2 || s[0] != ky || s[1] != kx) {
                throw new RecordingException(file, null, Checks.format(
                    "mask has shape %s; expected [%d, %d] (k_y, k_x) like the diffraction patterns",
                    java.util.Arrays.toString(s), ky, kx));
            }
            double[] v = npy.readAll();
            boolean[] valid = new boolean[v.length];
            for (int i = 0; i < v.length; i++) {
                valid[i] = v[i] != 0;
            }
            return DetectorMask.of(ky, kx, valid);
        }
        return Hdf5Opener.readMaskFile(file, ky, kx);
    }
}
