import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.js";

describe("renderMarkdown", () => {
  it("renders the agent's Markdown: emphasis, code, lists, links", () => {
    const html = renderMarkdown("**done**: see `a.ts`\n\n- one\n- [docs](https://example.com)");
    expect(html).toContain("<strong>done</strong>");
    expect(html).toContain("<code>a.ts</code>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain(
      '<a href="https://example.com" target="_blank" rel="noreferrer noopener">docs</a>',
    );
  });

  it("shows raw HTML as text, images as their alt text, and drops unsafe links", () => {
    const html = renderMarkdown(
      "<img src=x onerror=alert(1)> <script>x()</script>\n\n![logo](https://cdn.example/l.png) [run](javascript:alert(1))",
    );
    expect(html).not.toMatch(/<img|<script|javascript:/);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("logo");
    expect(html).toContain("run");
  });
});
