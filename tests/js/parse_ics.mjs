// Read an .ics document on stdin and print its events as JSON, as Mozilla's ical.js
// (what Thunderbird uses) understands them. Times are resolved from the document's own
// VTIMEZONEs, registered with ICAL.TimezoneService: ical.js has no zone database of
// its own, so an event an hour off here is an event an hour off for its users.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const MAX_OCCURRENCES = 200;

function offsetText(seconds) {
  const sign = seconds < 0 ? "-" : "+";
  const minutes = Math.abs(seconds) / 60;
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${sign}${hh}:${mm}`;
}

function describeTime(time) {
  if (time === null) {
    return null;
  }
  if (time.isDate) {
    return { iso: time.toString(), isDate: true, zone: null, utc: null };
  }
  const offset = time.utcOffset();
  return {
    iso: time.toString().slice(0, 19) + offsetText(offset),
    isDate: false,
    zone: time.zone ? time.zone.tzid : null,
    utc: time.toJSDate().toISOString(),
  };
}

function occurrences(event) {
  const found = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && found.length < MAX_OCCURRENCES; next = iterator.next()) {
    found.push(describeTime(next));
  }
  return found;
}

function describeEvent(vevent) {
  const event = new ICAL.Event(vevent);
  const rrule = vevent.getFirstPropertyValue("rrule");
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    start: describeTime(event.startDate),
    end: describeTime(event.endDate),
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
    rrule: rrule ? rrule.toString() : null,
    categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues()),
    alarms: vevent
      .getAllSubcomponents("valarm")
      .map((a) => ({
        action: a.getFirstPropertyValue("action"),
        trigger: a.getFirstPropertyValue("trigger").toString(),
      })),
    occurrences: occurrences(event),
    properties: vevent.getAllProperties().map((p) => p.name),
  };
}

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const timezones = calendar.getAllSubcomponents("vtimezone");
for (const vtimezone of timezones) {
  ICAL.TimezoneService.register(vtimezone);
}
const result = {
  name: calendar.getFirstPropertyValue("name"),
  timezones: timezones.map((z) => z.getFirstPropertyValue("tzid")),
  events: calendar.getAllSubcomponents("vevent").map(describeEvent),
};
process.stdout.write(JSON.stringify(result, null, 2) + "\n");
