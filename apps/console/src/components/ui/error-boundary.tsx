import { Component, type ReactNode } from 'react';

interface Props {
  /** What to show instead of the children once they failed to render. */
  fallback: ReactNode;
  children: ReactNode;
}

/**
 * Catches a render error below it, such as a lazy chunk that no longer exists after the
 * console was updated. React offers error boundaries only as class components; this one
 * is small enough not to warrant a dependency.
 */
export class ErrorBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
