"""Every published document: its path, its renderer and its media type, in one table.

``bytes_per_premiere`` is what the document measured per premiere on the generated
benchmark catalogues (the feeds hold a bounded number of items): only the order of
the guesses matters, to render the biggest documents first at a cold build.
"""

from __future__ import annotations

from feeds import api, ical, jsonfeed, page, paths, syndication
from feeds.store import Renderer

RENDERERS: dict[str, Renderer] = {
    renderer.path: renderer
    for renderer in (
        Renderer(paths.PAGE, page.render_page, page.MEDIA_TYPE, bytes_per_premiere=560),
        Renderer(
            paths.CALENDAR,
            ical.render_calendar,
            ical.MEDIA_TYPE,
            calendar_options=True,
            bytes_per_premiere=460,
        ),
        Renderer(paths.RSS, syndication.render_rss, syndication.RSS_MEDIA_TYPE),
        Renderer(paths.ATOM, syndication.render_atom, syndication.ATOM_MEDIA_TYPE),
        Renderer(paths.JSON_FEED, jsonfeed.render_json_feed, jsonfeed.MEDIA_TYPE),
        Renderer(paths.API, api.render_api, api.MEDIA_TYPE, bytes_per_premiere=860),
    )
}
