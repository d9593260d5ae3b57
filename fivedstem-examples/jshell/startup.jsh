// fivedstem start-up script for JShell: the imports for exploring recordings and results.
// `./fivedstem jshell` loads it (and shows fivedstem's Javadoc on Tab); `--walkthrough` adds the guided
// tour. Plain jshell works too, without fivedstem's documentation (build the jar once: ./fivedstem --version):
//   jshell --class-path fivedstem-examples/target/fivedstem.jar fivedstem-examples/jshell/startup.jsh
// The documentation's Java snippets (README.md, docs/*.md) assume these imports (DocSnippetsTest checks them).
import java.nio.file.Files;
import java.nio.file.Path;
import org.fivedstem.api.*;
import org.fivedstem.core.correlation.*;
import org.fivedstem.core.engine.*;
import org.fivedstem.core.fitting.*;
import org.fivedstem.core.fluctuation.*;
import org.fivedstem.core.preparation.*;
import org.fivedstem.core.simulation.*;
import org.fivedstem.core.statistics.*;
import org.fivedstem.io.*;
import org.fivedstem.io.figures.*;
import org.fivedstem.io.hdf5.*;
import org.fivedstem.io.results.*;
