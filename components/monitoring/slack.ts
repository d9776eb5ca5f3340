/**
 * The Chatbot API's patterns for a Slack channel configuration (SlackTeamId `[0-9A-Z]{1,255}`, SlackChannelId
 * `[A-Za-z0-9]+`, at most 255). One home for the component's check and the stack config's (no provider import).
 */
export const SLACK_WORKSPACE_ID = /^[0-9A-Z]{1,255}$/;
export const SLACK_CHANNEL_ID = /^[A-Za-z0-9]{1,255}$/;
