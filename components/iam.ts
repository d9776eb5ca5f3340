import type * as pulumi from "@pulumi/pulumi";

/**
 * The trust policy of a role that one AWS service assumes on this account's behalf. The `aws:SourceAccount`
 * condition is the confused-deputy guard: only that service acting for this account may use the role.
 */
export function serviceTrustPolicy(service: string, accountId: pulumi.Output<string>): pulumi.Output<string> {
  return accountId.apply((account) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: service },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": account } },
        },
      ],
    }),
  );
}
