// imagine: the DSL, ready to use. Startup file for the imagine REPL, scripts and plain jshell:
//   jshell --class-path imagine-0.1.0-SNAPSHOT-all.jar --startup DEFAULT --startup imagine-startup.jsh
import static dev.imagine.Images.*;
import static dev.imagine.repl.Display.show;
import static dev.imagine.repl.Recall.*;
import dev.imagine.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
