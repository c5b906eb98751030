// Runs a local SolrCloud for `make test-cloud`: two Solr 9 nodes with an
// embedded ZooKeeper (MiniSolrCloudCluster from solr-test-framework, the same
// Maven artifact as Launcher.java) and one collection of 2 shards x 2 replicas
// whose configset is the given folder (CKAN's schema.xml and our solrconfig.xml).
//   java --source 17 -cp <classpath> CloudLauncher <base-dir> <configset-dir> <collection>
// Prints "SOLRCLOUD READY <node url> ..." when the collection is active, then
// runs until killed. Nodes bind 127.0.0.1 on free ports.
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettySolrRunner;

public class CloudLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: CloudLauncher <base-dir> <configset-dir> <collection>");
      System.exit(64);
    }
    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster.Builder(2, Path.of(args[0]))
            .addConfig("ckan", Path.of(args[1]))
            .build();
    CollectionAdminRequest.createCollection(args[2], "ckan", 2, 2)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(args[2], 2, 4);
    List<String> urls =
        cluster.getJettySolrRunners().stream()
            .map(JettySolrRunner::getBaseUrl)
            .map(Object::toString)
            .collect(Collectors.toList());
    System.out.println("SOLRCLOUD READY " + String.join(" ", urls));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cluster.shutdown();
      } catch (Exception e) {
        System.err.println("shutdown: " + e);
      }
    }));
    Thread.currentThread().join();
  }
}
