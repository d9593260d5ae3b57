/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A recording or results file that cannot be read or written as asked: missing file, not HDF5,
 * truncated, missing dataset, wrong rank, invalid axes, missing calibration, a mask of the wrong
 * shape, an unsupported type or filter. The one exception type of the io module, so that a
 * command-line tool can print {@link #getMessage()} as one line and exit.
 *
 * <p>The message starts with the file (and the dataset path, when one is involved), then says
 * what is wrong and, where it can, what to do:
 * {@code scan.h5:/data: calibration lacks the pixel size: no attribute pixel_size_inv_nm on /data;
 * give it with --pixel-size (OpenOptions.withPixelSizeInverseNm)}.
 */
public class RecordingException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file, as text (a {@link Path} is not serializable). */
    private final String file;
    /** The HDF5 dataset path concerned, or {@code null}. */
    private final String datasetPath;
    /** What is wrong, without the file name. */
    private final String problem;

    /**
     * @param file the file concerned
     * @param datasetPath the HDF5 dataset path concerned, or {@code null}
     * @param problem what is wrong (without the file name, which is prefixed)
     * @param cause the underlying exception, or {@code null}
     */
    public RecordingException(Path file, String datasetPath, String problem, Throwable cause) {
        super(prefix(file, datasetPath) + problem, cause);
        this.file = file == null ? null : file.toString();
        this.datasetPath = datasetPath;
        this.problem = problem;
    }

    /**
     * @param file the file concerned
     * @param datasetPath the HDF5 dataset path concerned, or {@code null}
     * @param problem what is wrong
     */
    public RecordingException(Path file, String datasetPath, String problem) {
        this(file, datasetPath, problem, null);
    }

    private static String prefix(Path file, String dataset) {
        if (file == null) {
            return dataset == null ? "" : dataset + ": ";
        }
        return file + (dataset == null ? "" : ":" + dataset) + ": ";
    }

    /** @return the file concerned */
    public Optional<Path> file() {
        return Optional.ofNullable(file).map(Path::of);
    }

    /** @return what is wrong, without the file and dataset prefix of {@link #getMessage()} */
    public String problem() {
        return problem;
    }

    /** @return the dataset path concerned, if the problem lies inside an HDF5 file */
    public Optional<String> datasetPath() {
        return Optional.ofNullable(datasetPath);
    }
}
