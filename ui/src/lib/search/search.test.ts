import { describe, expect, it } from "vitest";
import { isSearchShortcut, matchingApplications, queryKind } from "./search";

describe("queryKind", () => {
  it("tells advisories, purls and application names apart", () => {
    expect(queryKind("CVE-2021-44228")).toBe("advisory");
    expect(queryKind(" cve-2021-44228 ")).toBe("advisory");
    expect(queryKind("GHSA-jfh8-c2jp-5v3q")).toBe("advisory");
    expect(queryKind("PYSEC-2019-10")).toBe("advisory");
    expect(queryKind("GO-2024-2687")).toBe("advisory");
    expect(queryKind("RUSTSEC-2021-0001")).toBe("advisory");
    expect(queryKind("DSA-5000-1")).toBe("advisory");
    expect(queryKind("RHSA-2023:1234")).toBe("advisory");
    expect(queryKind("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")).toBe("purl");
    expect(queryKind("pkg:npm/lodash")).toBe("purl");
    expect(queryKind("shop-api")).toBe("application");
    expect(queryKind("go-web")).toBe("application");
    expect(queryKind("GHSA-shop")).toBe("application");
    expect(queryKind("pkg:")).toBe("application");
    expect(queryKind("   ")).toBeNull();
  });
});

describe("matchingApplications", () => {
  const names = ["billing", "shop-api", "Shop Web", "webshop", "keycloak"];
  it("keeps names holding every word, those starting with the query first", () => {
    expect(matchingApplications(names, "shop")).toEqual(["Shop Web", "shop-api", "webshop"]);
    expect(matchingApplications(names, "web shop")).toEqual(["Shop Web", "webshop"]);
    expect(matchingApplications(names, "KEY")).toEqual(["keycloak"]);
    expect(matchingApplications(names, "nothing")).toEqual([]);
    expect(matchingApplications(names, " ")).toEqual([]);
    expect(matchingApplications(names, "s", 2)).toHaveLength(2);
  });
});

describe("isSearchShortcut", () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  it("takes / outside text fields only", () => {
    expect(isSearchShortcut(key("/"), { tagName: "BODY" } as unknown as EventTarget)).toBe(true);
    expect(isSearchShortcut(key("/"), null)).toBe(true);
    expect(isSearchShortcut(key("/"), { tagName: "input" } as unknown as EventTarget)).toBe(false);
    expect(isSearchShortcut(key("/"), { tagName: "TEXTAREA" } as unknown as EventTarget)).toBe(false);
    expect(isSearchShortcut(key("/"), { tagName: "DIV", isContentEditable: true } as unknown as EventTarget)).toBe(false);
    expect(isSearchShortcut(key("/", { ctrlKey: true }), null)).toBe(false);
    expect(isSearchShortcut(key("a"), null)).toBe(false);
  });
});
