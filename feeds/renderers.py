"""Every published document: its path, its renderer and its media type, in one table."""

from __future__ import annotations

from feeds import api, ical, jsonfeed, page, syndication
from feeds.store import Renderer

RENDERERS: dict[str, Renderer] = {
    renderer.path: renderer
    for renderer in (
        Renderer("/", page.render_page, page.MEDIA_TYPE),
        Renderer("/calendar.ics", ical.render_calendar, ical.MEDIA_TYPE, calendar_options=True),
        Renderer("/rss.xml", syndication.render_rss, syndication.RSS_MEDIA_TYPE),
        Renderer("/atom.xml", syndication.render_atom, syndication.ATOM_MEDIA_TYPE),
        Renderer("/feed.json", jsonfeed.render_json_feed, jsonfeed.MEDIA_TYPE),
        Renderer("/api/events", api.render_api, api.MEDIA_TYPE),
    )
}
