import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Build check, run by the root POM (exec-maven-plugin, execution {@code bom-completeness}) in the {@code validate}
 * phase, so by every build of the root project whatever its goal: the BOM lists every published module and nothing
 * else, has no parent and no scopes. A module opts out of publishing with the property {@code <flotilla.published>false}.
 * Exit status 0 when consistent, 1 with one line per problem otherwise.
 *
 * <p>Run by hand: {@code java build-tools/BomCheck.java .}
 */
public final class BomCheck {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Document parent = parse(root.resolve("pom.xml"));
        Document bom = parse(root.resolve("bom/pom.xml"));
        List<String> problems = new ArrayList<>();

        Set<String> published = new TreeSet<>();
        for (String module : texts(parent.getDocumentElement(), "modules", "module")) {
            Path pom = root.resolve(module).resolve("pom.xml");
            Document doc = parse(pom);
            String artifactId = childText(doc.getDocumentElement(), "artifactId");
            if (module.equals("bom")) {
                continue;
            }
            Element props = child(doc.getDocumentElement(), "properties");
            String flag = props == null ? null : childText(props, "flotilla.published");
            if (!"false".equals(flag)) {
                published.add(artifactId);
            }
        }

        Set<String> listed = new TreeSet<>();
        Element dm = child(bom.getDocumentElement(), "dependencyManagement");
        Element deps = dm == null ? null : child(dm, "dependencies");
        if (deps != null) {
            for (Element dep : children(deps, "dependency")) {
                listed.add(childText(dep, "artifactId"));
                if (!"io.flotilla".equals(childText(dep, "groupId"))) {
                    problems.add("bom lists a third-party artifact: " + childText(dep, "groupId") + ":" + childText(dep, "artifactId"));
                }
                if (child(dep, "scope") != null) {
                    problems.add("bom entry " + childText(dep, "artifactId") + " has a <scope>; BOM entries must not");
                }
            }
        }
        if (child(bom.getDocumentElement(), "parent") != null) {
            problems.add("bom/pom.xml must not have a <parent> (STYLE.md §11)");
        }
        for (String a : published) {
            if (!listed.contains(a)) {
                problems.add("published module " + a + " is missing from bom/pom.xml");
            }
        }
        for (String a : listed) {
            if (!published.contains(a)) {
                problems.add("bom/pom.xml lists " + a + ", which is not a published module of this build");
            }
        }
        if (problems.isEmpty()) {
            System.out.println("bom-check: flotilla-bom lists all " + published.size() + " published modules " + published);
            return;
        }
        problems.forEach(p -> System.err.println("bom-check: " + p));
        System.exit(1);
    }

    private static Document parse(Path p) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(Files.newInputStream(p));
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nl = e.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
                out.add((Element) n);
            }
        }
        return out;
    }

    private static Element child(Element e, String name) {
        List<Element> c = children(e, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static String childText(Element e, String name) {
        Element c = child(e, name);
        return c == null ? null : c.getTextContent().trim();
    }

    private static List<String> texts(Element e, String container, String item) {
        List<String> out = new ArrayList<>();
        Element c = child(e, container);
        if (c != null) {
            for (Element i : children(c, item)) {
                out.add(i.getTextContent().trim());
            }
        }
        return out;
    }
}
