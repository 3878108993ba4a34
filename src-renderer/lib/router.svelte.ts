/** The app's views. A view's extra state (which image, which build) travels in `params`. */
export type ViewName = 'images' | 'containers' | 'build';

export const router = $state<{ view: ViewName; params: Record<string, string> }>({ view: 'images', params: {} });

export function navigate(view: ViewName, params: Record<string, string> = {}): void {
  router.view = view;
  router.params = params;
}
