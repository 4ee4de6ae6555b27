/// The one stylesheet, served by Sesame itself at /static/sesame.css (no CDN, no web fonts).
enum Stylesheet {
    static let css = """
        :root { color-scheme: light dark; --accent: #2a6f4e; --error: #b3261e; --line: #c8ccd0; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f5f6; color: #1d1f21; }
        @media (prefers-color-scheme: dark) { body { background: #16181a; color: #e8eaed; } .card { background: #202326; } }
        .brand { padding: 1rem 1.25rem; font-weight: 700; letter-spacing: .04em; color: var(--accent); }
        .card { max-width: 26rem; margin: 1rem auto; padding: 1.5rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
        h1 { font-size: 1.4rem; margin: 0 0 1rem; }
        label { display: block; margin: .9rem 0 .3rem; font-weight: 600; }
        input[type=text], input[type=password], input[type=email] { width: 100%; padding: .65rem .75rem; font-size: 1rem; border: 1px solid var(--line); border-radius: 8px; background: inherit; color: inherit; }
        button { margin-top: 1.25rem; width: 100%; padding: .7rem; font-size: 1rem; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 8px; cursor: pointer; }
        button.secondary { background: transparent; color: var(--accent); border: 1px solid var(--accent); }
        .error { color: var(--error); font-weight: 600; }
        .facts dt { font-weight: 600; margin-top: .6rem; }
        .facts dd { margin: 0; }
        .facts ul { margin: 0; padding-left: 1.2rem; }
        .none { opacity: .6; }
        .note { background: rgba(42,111,78,.1); padding: .5rem .75rem; border-radius: 8px; }
        .qr svg { width: 100%; max-width: 16rem; height: auto; display: block; margin: 0 auto; }
        .small { font-size: .85rem; word-break: break-all; }
        .codes { font-family: ui-monospace, monospace; columns: 2; }
        a.button { display: block; text-align: center; padding: .7rem; border-radius: 8px; background: var(--accent); color: #fff; text-decoration: none; font-weight: 600; }
        @media (max-width: 30rem) { .card { margin: 0; border-radius: 0; box-shadow: none; min-height: 100vh; } }
        """
}
