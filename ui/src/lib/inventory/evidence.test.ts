import { describe, expect, it } from "vitest";
import { commonBase, evidencePaths, relativeTo, shorten } from "./evidence";

const rel = (paths: string[]) => {
  const base = commonBase(paths);
  return paths.map((p) => relativeTo(p, base));
};

describe("commonBase and relativeTo", () => {
  it("keeps a single SBOM's file name", () => {
    const bom = "/work/shared/data/sbom/cyclonedx/SBOM/keycloak-10.0.2/bom.json";
    expect(commonBase([bom, bom])).toBe("/work/shared/data/sbom/cyclonedx/SBOM/keycloak-10.0.2/");
    expect(rel([bom, bom])).toEqual(["bom.json", "bom.json"]);
  });

  it("keeps the archive and its entries, stripping only the folders on disk", () => {
    expect(
      rel([
        "/home/me/build/app.war!/WEB-INF/lib/x.jar",
        "/home/me/build/app.war!/WEB-INF/lib/y.jar!/META-INF/maven/g/y/pom.properties",
      ]),
    ).toEqual(["app.war!/WEB-INF/lib/x.jar", "app.war!/WEB-INF/lib/y.jar!/META-INF/maven/g/y/pom.properties"]);
  });

  it("never strips inside an archive even when every entry shares a folder there", () => {
    const paths = ["/b/app.war!/WEB-INF/lib/a.jar", "/b/app.war!/WEB-INF/lib/b.jar"];
    expect(commonBase(paths)).toBe("/b/");
  });

  it("keeps the subfolders that tell files of a folder scan apart", () => {
    expect(rel(["/p/shop/package-lock.json", "/p/shop/web/package-lock.json", "/p/shop/api/poetry.lock"])).toEqual([
      "package-lock.json",
      "web/package-lock.json",
      "api/poetry.lock",
    ]);
  });

  it("compares whole directory names, not characters", () => {
    expect(rel(["/p/app/a.json", "/p/apple/b.json"])).toEqual(["app/a.json", "apple/b.json"]);
  });

  it("leaves paths with nothing in common, relative paths and Windows paths sensibly", () => {
    expect(commonBase(["/a/x.json", "/b/y.json"])).toBe("/");
    expect(rel(["package-lock.json"])).toEqual(["package-lock.json"]);
    expect(commonBase([])).toBe("");
    expect(rel(["C:\\build\\app.war!/WEB-INF/lib/x.jar", "C:\\build\\bom.json"])).toEqual([
      "app.war!/WEB-INF/lib/x.jar",
      "bom.json",
    ]);
  });

  it("does not change a path outside the base", () => {
    expect(relativeTo("/elsewhere/bom.json", "/work/")).toBe("/elsewhere/bom.json");
  });

  it("gathers the evidence of components and violations alike", () => {
    expect(evidencePaths([{ evidence: ["/a/b.json"] }, { evidence: [] }, { evidence: ["/a/c.json", "/a/d.json"] }])).toEqual([
      "/a/b.json",
      "/a/c.json",
      "/a/d.json",
    ]);
  });
});

describe("shorten", () => {
  it("leaves a path that fits", () => {
    expect(shorten("bom.json", 8)).toBe("bom.json");
  });

  it("cuts the middle and keeps the start and the file name", () => {
    const path = "keycloak.war!/WEB-INF/lib/modules/system/layers/base/jboss-logging-3.4.1.Final.jar";
    const short = shorten(path, 50);
    expect(short.length).toBe(50);
    expect(short.startsWith("keycloak.war!/WEB-")).toBe(true);
    expect(short.endsWith("…/jboss-logging-3.4.1.Final.jar")).toBe(true);
  });

  it("keeps the end of a file name longer than the budget", () => {
    const short = shorten("dir/a-very-long-artifact-name-1.2.3.jar", 12);
    expect(short).toBe("…e-1.2.3.jar");
    expect(short.length).toBe(12);
  });

  it("keeps the part after other separators whole", () => {
    expect(shorten("com.fasterxml.jackson.core:jackson-annotations", 30, ":")).toBe("com.faste…:jackson-annotations");
    expect(shorten("org.springframework.boot/spring-boot-starter-web@2.5.0", 40)).toBe("org.sprin…/spring-boot-starter-web@2.5.0");
  });

  it("handles tiny budgets", () => {
    expect(shorten("abc/def", 1)).toBe("…");
  });
});
