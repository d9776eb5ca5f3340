export { RedisCache, validateRedisCacheArgs, type RedisCacheArgs } from "./redis-cache";
export type { AwsRedisCacheArgs, DockerRedisCacheArgs } from "./redis-cache";
export type { CacheOutputs } from "./outputs";
export { CACHE_PORT } from "./aws";
