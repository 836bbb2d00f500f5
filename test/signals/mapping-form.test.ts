import { expect, test } from "vitest";
import { SignalMapping, defaultSignalMapping } from "@/lib/signals/mapping";
import { mappingFromForm, mappingToForm, rowOf } from "@/lib/signals/mapping-form";

test("the Settings form shows a mapping and reads it back unchanged", () => {
  const form = mappingToForm(defaultSignalMapping);
  expect(form["tcf.purposes.2"]).toBe("ads");
  expect(form["gpp.sharing"]).toBe("data-sharing, ads");
  expect(form.segment).toContain("Data Sharing = data-sharing");
  const { mapping, issues } = mappingFromForm(form);
  expect(issues).toEqual([]);
  expect(SignalMapping.parse(mapping)).toEqual(defaultSignalMapping);
});

test("an emptied row maps to nothing and an edited one replaces the default", () => {
  const form = {
    ...mappingToForm(defaultSignalMapping),
    gpc: "",
    "tcf.purposes.1": " analytics ,  ads ",
    segment: "Marketing = ads",
  };
  const mapping = SignalMapping.parse(mappingFromForm(form).mapping);
  expect(mapping.gpc).toEqual([]);
  expect(mapping.tcf.purposes["1"]).toEqual(["analytics", "ads"]);
  expect(mapping.segment).toEqual({ Marketing: ["ads"] });
});

test.each([
  [
    { gpc: "Ads, data sharing" },
    "gpc",
    "'Ads', 'data sharing': a purpose key is lowercase letters, digits, '.', '_' or '-'",
  ],
  [{ segment: "Advertising ads" }, "segment", 'line 1: expected "Category = purpose, purpose"'],
  [{ segment: "A = ads\nA = analytics" }, "segment", "line 2: category 'A' is listed twice"],
])("what the form cannot read is named by row (%#)", (edit, row, message) => {
  const { issues } = mappingFromForm({ ...mappingToForm(defaultSignalMapping), ...edit });
  expect(issues).toEqual([{ path: row, message }]);
});

test.each([
  ["tcf.purposes.3.0", "tcf.purposes.3"],
  ["tcf.purposes.10", "tcf.purposes.10"],
  ["gpc.1", "gpc"],
  ["segment.Advertising.0", "segment"],
  ["usp", "form"],
])("a mapping issue at %s is shown on row %s", (path, row) => {
  expect(rowOf(path)).toBe(row);
});
