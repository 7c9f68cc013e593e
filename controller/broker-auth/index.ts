// Credentials by callback: the controller answers RabbitMQ's HTTP auth backend (docs/national-deployment.md,
// "Credentials by callback"), so a broker cluster needs no password file.
//
// What RabbitMQ 3.10 (Debian 12's 3.10.8) asks, read from its sources:
// - rabbitmq_auth_backend_http (deps/rabbitmq_auth_backend_http/README.md and
//   src/rabbit_auth_backend_http.erl in github.com/rabbitmq/rabbitmq-server): four URLs, set by
//   `auth_http.user_path`, `vhost_path`, `resource_path`, `topic_path`; with `auth_http.http_method = post`
//   (the default is GET, which puts passwords in URLs) each check is a form-encoded POST:
//   user: `username`, `password` (and other credentials a protocol adds, such as `client_id`);
//   vhost: `username`, `vhost`, `ip`, `tags`; resource: `username`, `vhost`, `resource` (`exchange`,
//   `queue`, `topic`), `name`, `permission` (`configure`, `write`, `read`), `tags`; topic: the same with
//   `resource=topic`, `name` the exchange, and the context's `routing_key` and `variable_map.*`
//   (`variable_map.client_id`, `.username`, `.vhost`) flattened as `variable_map.<key>`. The answer is
//   HTTP 200 with `allow`, `deny` or, for user only, `allow <tags>`; any other status is an error.
// - rabbitmq_mqtt (src/rabbit_mqtt_processor.erl, rabbit_mqtt_util.erl): an MQTT topic becomes the routing
//   key on exchange `amq.topic` with `/` -> `.` and `+` -> `*` (`#` stays); a topic check is made with
//   `read` for each SUBSCRIBE filter (so a wildcard filter arrives as text, `loa.#`) and `write` for each
//   PUBLISH and for the last will when it is sent (a will refused is logged and dropped). Its queues are
//   `mqtt-subscription-<client id>qos0` and `qos1` (configure to declare or delete, write to bind, read to
//   consume, with read on `amq.topic` to bind); a publish needs write on `amq.topic`. The plugin caches the
//   answers of a connection (its last 12) in the connection's process, so an open connection keeps what it
//   was allowed until it reconnects.
// Seen from 3.10.8 (test/controller/broker-auth/rabbit.test.ts): the user check carries `vhost` and
// `client_id` too, vhost and resource checks `client_id`; a refused SUBSCRIBE closes the connection.
export { type Answer, type AuthPath, createAnswerCache } from './cache.ts';
export { type BrokerAuthMetrics, registerBrokerAuthMetrics } from './metrics.ts';
export { type BrokerAuth, type BrokerAuthDeps, createBrokerAuth } from './province.ts';
export { createBrokerAuthRouter } from './router.ts';
export { type BrokerAuthMount, mountBrokerAuth } from './routes.ts';
export type { ProvinceRules } from './rules.ts';
export { type BrokerAuthSettings, brokerAuthSettingsOf, type ProvinceRoute } from './settings.ts';
