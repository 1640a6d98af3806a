import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { TRegistration, TSessionResponse } from '@reg/contracts/console-api';
import type { Account } from './accounts.ts';
import { baseUrl } from './env.ts';

/**
 * The console API as a signed-in browser uses it. Requests go through the page's context,
 * so the session cookie set by signIn() is the browser's too: pages open signed in.
 */
export class ConsoleApi {
  private constructor(
    private readonly request: APIRequestContext,
    readonly session: TSessionResponse,
  ) {}

  /** POST /api/console/session with the console's Origin (the API refuses other origins). */
  static async signIn(page: Page, account: Account): Promise<ConsoleApi> {
    const response = await page.request.post('/api/console/session', {
      headers: { Origin: baseUrl() },
      data: { email: account.email, password: account.password },
    });
    expect(response.status(), await response.text()).toBe(200);
    return new ConsoleApi(page.request, (await response.json()) as TSessionResponse);
  }

  private headers() {
    return { Origin: baseUrl(), 'X-CSRF-Token': this.session.csrfToken };
  }

  /** Registers the product showing `code`, as the admin's Register click would. */
  async register(code: string): Promise<TRegistration> {
    const response = await this.request.post('/api/console/registrations', { headers: this.headers(), data: { code } });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as TRegistration;
  }

  /** Removes a registration, as the admin's Remove click would. */
  async remove(id: string): Promise<void> {
    const response = await this.request.delete(`/api/console/registrations/${id}`, { headers: this.headers() });
    expect(response.status(), await response.text()).toBe(204);
  }
}
