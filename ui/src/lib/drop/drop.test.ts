import { describe, expect, it } from "vitest";
import { defaultApplicationName, defaultNameForDrop, dropPaths } from "./drop";

describe("defaultApplicationName", () => {
  it.each([
    ["/x/shop-api/package-lock.json", "shop-api"],
    ["/home/ana/src/billing/yarn.lock", "billing"],
    ["/srv/payments/requirements.txt", "payments"],
    ["/srv/payments/requirements-prod.txt", "payments"],
    ["/srv/payments/Pipfile.lock", "payments"],
    ["C:\\work\\shop-web\\package-lock.json", "shop-web"],
    ["C:\\package-lock.json", ""],
    ["package-lock.json", ""],
    ["/builds/shop-api-1.2.3.war", "shop-api"],
    ["/builds/shop-api-1.0.0-SNAPSHOT.jar", "shop-api"],
    ["/builds/shop_api_2.0.tar.gz", "shop_api"],
    ["/sboms/inventory-service.cdx.json", "inventory-service"],
    ["/builds/1.2.3.zip", "1.2.3"],
    ["/x/shop-api", "shop-api"],
    ["/x/shop-api/", "shop-api"],
    ["", ""],
  ])("%s → %s", (path, expected) => {
    expect(defaultApplicationName(path)).toBe(expected);
  });

  it("takes the first path that yields a name", () => {
    expect(defaultNameForDrop(["/package-lock.json", "/x/shop-api/yarn.lock"])).toBe("shop-api");
    expect(defaultNameForDrop([])).toBe("");
  });
});

describe("dropPaths", () => {
  it("takes every file and folder, in the order dropped, without duplicates", () => {
    expect(
      dropPaths(["/a/package-lock.json", "/a/app-binary", "/b/app.war", "/a/package-lock.json", "/c/src", ""]),
    ).toEqual(["/a/package-lock.json", "/a/app-binary", "/b/app.war", "/c/src"]);
  });
});
