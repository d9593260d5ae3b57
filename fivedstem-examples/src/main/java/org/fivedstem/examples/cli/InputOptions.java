package org.fivedstem.examples.cli;

import java.nio.file.Path;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.Recordings;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options that say how to read a recording and override its calibration; shared by the
 * commands that open recordings. Each maps one-to-one onto {@link OpenOptions} (whose error
 * messages name these options).
 */
public final class InputOptions {

    @Option(names = "--dataset", paramLabel = "PATH", description = "dataset inside an HDF5 file (default: /data)")
    String dataset;

    @Option(names = "--axes", paramLabel = "ORDER", converter = AxesConverter.class,
        description = "storage axis order, e.g. t,y,x,ky,kx or y,x,t,ky,kx (default: the file's 'axes' attribute, else t,y,x,ky,kx)")
    AxisOrder axes;

    @Option(names = "--frame-interval", paramLabel = "S", description = "time between frames in s (overrides the file)")
    Double frameInterval;

    @Option(names = "--pixel-size", paramLabel = "INV_NM", description = "diffraction pixel size in nm⁻¹ before binning (overrides the file)")
    Double pixelSize;

    @Option(names = "--scan-step", paramLabel = "NM", description = "scan step in nm (overrides the file)")
    Double scanStep;

    @Option(names = "--center", paramLabel = "KY,KX", converter = PairConverter.class,
        description = "pattern centre in pixels before binning, row,column (overrides the file)")
    Pair center;

    @Option(names = "--temperature", paramLabel = "K", description = "sample temperature in K (overrides the file)")
    Double temperature;

    @Option(names = "--mask", paramLabel = "FILE", description = "detector mask (HDF5 /mask or .npy, k_y × k_x, non-zero = valid)")
    Path mask;

    /**
     * @return the open options these command-line options describe
     * @throws CommandLine.ParameterException never; invalid values fail in {@link OpenOptions}'s withers
     */
    OpenOptions toOpenOptions() {
        OpenOptions o = OpenOptions.defaults();
        if (dataset != null) {
            o = o.withDatasetPath(dataset);
        }
        if (axes != null) {
            o = o.withAxes(axes);
        }
        if (frameInterval != null) {
            o = o.withFrameIntervalSeconds(frameInterval);
        }
        if (pixelSize != null) {
            o = o.withPixelSizeInverseNm(pixelSize);
        }
        if (scanStep != null) {
            o = o.withScanStepNm(scanStep);
        }
        if (center != null) {
            o = o.withCenterPx(center.first(), center.second());
        }
        if (temperature != null) {
            o = o.withTemperatureKelvin(temperature);
        }
        if (mask != null) {
            o = o.withMaskFile(mask);
        }
        return o;
    }

    /**
     * @param input the recording
     * @return it opened as a streaming dataset
     * @throws RecordingException if it cannot be read
     */
    Dataset5D open(Path input) throws RecordingException {
        return Recordings.open(input, toOpenOptions());
    }

    /** Parses an axis order. */
    static final class AxesConverter implements CommandLine.ITypeConverter<AxisOrder> {
        @Override
        public AxisOrder convert(String value) {
            try {
                return AxisOrder.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Two numbers given as {@code A,B}.
     *
     * @param first A
     * @param second B
     */
    record Pair(double first, double second) { }

    /** Parses {@code A,B} into two finite numbers. */
    static final class PairConverter implements CommandLine.ITypeConverter<Pair> {
        @Override
        public Pair convert(String value) {
            String[] parts = value.split(",", -1);
            try {
                if (parts.length == 2) {
                    double a = Double.parseDouble(parts[0].trim());
                    double b = Double.parseDouble(parts[1].trim());
                    if (Double.isFinite(a) && Double.isFinite(b)) {
                        return new Pair(a, b);
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException(Checks.format("'%s' is not two numbers A,B", value));
        }
    }
}
