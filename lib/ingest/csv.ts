/**
 * A CSV row with SPEC section 3's column names becomes an event object. `value` may come as
 * `value.kind`/`value_kind` (amount, currency likewise); `properties` as a JSON cell. Empty cells are absent.
 */
export function csvRecordToEvent(record: Record<string, string>): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  const value: Record<string, unknown> = {};
  for (const [rawKey, cell] of Object.entries(record)) {
    if (cell === undefined || cell === "") continue;
    const key = rawKey.trim();
    const valuePart = /^value[._](kind|amount|currency)$/.exec(key)?.[1];
    if (valuePart) {
      value[valuePart] = valuePart === "amount" ? numberOrText(cell) : cell;
    } else if (key === "score") {
      event.score = numberOrText(cell);
    } else if (key === "properties") {
      try {
        event.properties = JSON.parse(cell);
      } catch {
        event.properties = cell;
      }
    } else {
      event[key] = cell;
    }
  }
  if (Object.keys(value).length) event.value = value;
  return event;
}

function numberOrText(cell: string): number | string {
  const n = Number(cell);
  return cell.trim() !== "" && Number.isFinite(n) ? n : cell;
}
