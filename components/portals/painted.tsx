'use client';

import { useLayoutEffect, useRef } from 'react';

type Paint = { backgroundColor?: string; color?: string };

/**
 * An element coloured with a portal's own colours. The Content-Security-Policy allows styles only with
 * the page's nonce, so a server-rendered style="" attribute is ignored by the browser; styles set from
 * script through the CSSOM are allowed, so the colours are applied once the element is mounted.
 */
export function Painted({ as: Tag = 'span', paint, className, children, ...rest }: {
  as?: 'span' | 'div'; paint: Paint; className?: string; children?: React.ReactNode; 'aria-hidden'?: boolean; 'data-testid'?: string;
}) {
  const ref = useRef<HTMLElement>(null);
  const { backgroundColor = '', color = '' } = paint;
  useLayoutEffect(() => {
    if (!ref.current) return;
    ref.current.style.backgroundColor = backgroundColor;
    ref.current.style.color = color;
  }, [backgroundColor, color]);
  return <Tag ref={ref as never} className={className} {...rest}>{children}</Tag>;
}
