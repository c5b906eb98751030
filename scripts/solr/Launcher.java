// Runs a real Solr 9 node (JettySolrRunner from solr-test-framework) for the
// local portal and the tests: java --source 17 -cp <lib/*> Launcher <solr-home> <port>
// JettySolrRunner binds 127.0.0.1 only. start() does not block and reports a
// core that failed to load only through getCoreInitFailures(), so this checks
// them and exits non-zero with the cause instead of serving a broken core.
import java.util.Map;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

public class Launcher {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: Launcher <solr-home> <port>");
      System.exit(64);
    }
    JettyConfig config =
        JettyConfig.builder()
            .setPort(Integer.parseInt(args[1]))
            .setContext("/solr")
            .stopAtShutdown(true)
            .waitForLoadingCoresToFinish(120_000L)
            .build();
    JettySolrRunner runner = new JettySolrRunner(args[0], config);
    runner.start();
    CoreContainer cores = runner.getCoreContainer();
    Map<String, CoreContainer.CoreLoadFailure> failures = cores.getCoreInitFailures();
    if (!failures.isEmpty()) {
      for (Map.Entry<String, CoreContainer.CoreLoadFailure> f : failures.entrySet()) {
        System.err.println("SOLR CORE FAILED: " + f.getKey() + ": " + f.getValue().exception);
        Throwable cause = f.getValue().exception.getCause();
        while (cause != null) {
          System.err.println("  caused by: " + cause);
          cause = cause.getCause();
        }
      }
      runner.stop();
      System.exit(2);
    }
    System.out.println("SOLR READY " + runner.getBaseUrl() + " cores=" + cores.getLoadedCoreNames());
    Thread.currentThread().join();
  }
}
