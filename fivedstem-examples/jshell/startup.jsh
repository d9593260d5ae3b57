// fivedstem start-up script for JShell: the imports for exploring recordings and results.
// Start JShell from the repository root (build the jar once with ./fivedstem --version):
//   jshell --class-path fivedstem-examples/target/fivedstem.jar fivedstem-examples/jshell/startup.jsh
// and add fivedstem-examples/jshell/walkthrough.jsh to the command line for the guided tour.
import java.nio.file.Files;
import java.nio.file.Path;
import org.fivedstem.api.*;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.Correlator;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.core.fitting.KwwFitter;
import org.fivedstem.core.fluctuation.SpeckleVariance;
import org.fivedstem.core.fluctuation.VarianceOptions;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.core.statistics.Arrhenius;
import org.fivedstem.core.statistics.Spearman;
import org.fivedstem.core.statistics.TemperatureSeries;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.Recordings;
import org.fivedstem.io.figures.*;
import org.fivedstem.io.results.*;
