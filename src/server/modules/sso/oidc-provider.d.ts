/**
 * The little of oidc-provider (a development dependency without types of its own) that the tests'
 * OpenID provider uses: sso.test-provider.ts.
 */
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  type Context = {
    path: string;
    method: string;
    query: Record<string, string | string[] | undefined>;
    req: IncomingMessage;
    res: ServerResponse;
    status: number;
    redirect(url: string): void;
  };

  type InteractionDetails = { uid: string; params: Record<string, unknown>; prompt: { name: string } };

  class Grant {
    constructor(init: { accountId: string; clientId: string });
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly Grant: typeof Grant;
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    use(middleware: (ctx: Context, next: () => Promise<void>) => Promise<void>): void;
    interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<InteractionDetails>;
    interactionResult(
      request: IncomingMessage,
      response: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
  }
}
