"""Hostile text, shared by the tests: what a user could type or plant in an address, a file or a name.

TRACKER is a closed local port: a browser that renders any of these as an image or a link would send a
request there, which the browser tests watch for.
"""

TRACKER_PORT = 9
TRACKER = f"http://127.0.0.1:{TRACKER_PORT}"

HOSTILE = [
    f"![x]({TRACKER}/track.png)",
    "[click me](javascript:alert(1))",
    "**bold** _it_ ~~gone~~ `code`",
    f"<b>bold</b><br><i>it</i><a href='{TRACKER}/a'>link</a>",
    f"<img src={TRACKER}/img.png onerror=alert(1)>",
    f'=HYPERLINK("{TRACKER}/f","x")',
    "see https://example.com/x and www.example.com or me@example.com",
    ":red[colour] :smile: $x^2$ # not a title",
]

# One name and one label holding several of them, within the fields' limits (200 and 80 characters).
HOSTILE_NAME = f"![x]({TRACKER}/n.png) **Acme** <b>SA</b> [c](javascript:alert(1)) https://example.com =1+1"
HOSTILE_LABEL = f"<b>R1</b><br><a href='{TRACKER}/r'>a</a> ![p]({TRACKER}/p)"
HOSTILE_LABEL_2 = f"**Q2** <img src={TRACKER}/q onerror=alert(1)> me@b.co www.x.eu"
assert len(HOSTILE_NAME) <= 200 and len(HOSTILE_LABEL) <= 80 and len(HOSTILE_LABEL_2) <= 80
