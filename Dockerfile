# Used by docker-compose.yml (untested here: no Docker engine on these machines).
FROM node:24-bookworm-slim
WORKDIR /app
COPY . .
# `npm run build` builds the console and the API's JavaScript (apps/api/dist), so `npm start`
# runs plain JavaScript with no transpiler, exactly as outside Docker.
RUN npm ci --no-audit --no-fund && npm run build
ENV NODE_ENV=production
EXPOSE 8080
CMD ["npm", "start"]
