# Used by docker-compose.yml (untested here: no Docker engine on these machines).
FROM node:22-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build
ENV NODE_ENV=production
EXPOSE 8080
CMD ["npm", "start"]
