import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { offsetsOf, visibleRange } from "./visible-range.js";

interface VirtualListProps {
  count: number;
  keyOf: (index: number) => string;
  render: (index: number) => ComponentChildren;
  /** A first guess of an item's height, until it has been measured. */
  estimate: number;
  /** Keep the newest item in view while the reader is at the bottom (a chat, a live log). */
  follow?: boolean;
  label: string;
}

const OVERSCAN_PX = 600;

/**
 * A list that renders only the items in and near the viewport, whatever their count: items
 * have their own heights, measured once rendered; two spacers stand for the rest.
 */
export function VirtualList({ count, keyOf, render, estimate, follow, label }: VirtualListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLOListElement>(null);
  const heights = useRef(new Map<string, number>());
  const atBottom = useRef(true);
  const [view, setView] = useState({ top: 0, height: 800 });
  const [, setMeasured] = useState(0);

  const offsets = offsetsOf(count, (i) => heights.current.get(keyOf(i)) ?? estimate);
  const { start, end } = visibleRange(offsets, view.top, view.height, OVERSCAN_PX);
  const total = offsets[count] ?? 0;

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() =>
      setView({ top: element.scrollTop, height: element.clientHeight }),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    let changed = false;
    for (const child of Array.from(inner.current?.children ?? [])) {
      const key = (child as HTMLElement).dataset.key;
      const height = (child as HTMLElement).offsetHeight;
      if (key !== undefined && heights.current.get(key) !== height) {
        heights.current.set(key, height);
        changed = true;
      }
    }
    if (changed) setMeasured((n) => n + 1);
    const element = scroller.current;
    if (follow && atBottom.current && element) element.scrollTop = element.scrollHeight;
  });

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    atBottom.current = element.scrollTop + element.clientHeight >= element.scrollHeight - 8;
    setView({ top: element.scrollTop, height: element.clientHeight });
  };

  const items = [];
  for (let i = start; i < end; i++) {
    const key = keyOf(i);
    items.push(
      <li key={key} data-key={key}>
        {render(i)}
      </li>,
    );
  }
  return (
    <div class="virtual-list" ref={scroller} onScroll={onScroll}>
      <ol
        ref={inner}
        aria-label={label}
        style={{
          paddingTop: `${offsets[start] ?? 0}px`,
          paddingBottom: `${total - (offsets[end] ?? total)}px`,
        }}
      >
        {items}
      </ol>
    </div>
  );
}
