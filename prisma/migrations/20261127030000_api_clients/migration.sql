-- API clients (Identity and Access Management > API Access > Secure Clients) and their tokens.
-- Deleting a client deletes its tokens with it, so they stop working at once.

CREATE TABLE "api_clients" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_email" TEXT NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_clients_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "api_clients_customer_id_created_at_idx" ON "api_clients"("customer_id", "created_at");

CREATE TABLE "api_client_tokens" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "api_client_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "api_client_tokens_token_hash_key" ON "api_client_tokens"("token_hash");
CREATE INDEX "api_client_tokens_client_id_idx" ON "api_client_tokens"("client_id");
CREATE INDEX "api_client_tokens_expires_at_idx" ON "api_client_tokens"("expires_at");
ALTER TABLE "api_client_tokens" ADD CONSTRAINT "api_client_tokens_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "api_clients"("id") ON DELETE CASCADE ON UPDATE CASCADE;
