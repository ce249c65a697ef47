import { describe, expect, it } from "vitest";
import { isErrorDto, toErrorDto } from "./errors";

describe("toErrorDto", () => {
  it("passes an ErrorDto through", () => {
    const dto = { code: "not_found", message: "no application named \"x\"" } as const;
    expect(toErrorDto(dto)).toBe(dto);
  });
  it("wraps strings and Errors as internal", () => {
    expect(toErrorDto("command scan not found")).toEqual({
      code: "internal",
      message: "command scan not found",
    });
    expect(toErrorDto(new Error("boom"))).toEqual({ code: "internal", message: "boom" });
  });
  it("never shows an unknown code or an empty object as-is", () => {
    expect(isErrorDto({ code: "nope", message: "x" })).toBe(false);
    expect(toErrorDto({})).toEqual({ code: "internal", message: "Something went wrong." });
    expect(toErrorDto(null).code).toBe("internal");
  });
});
